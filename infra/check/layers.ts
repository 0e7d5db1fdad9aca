/**
 * `npm run layers` (part of `npm test`): fails when an import points up between the layers that
 * ARCHITECTURE.md describes, or when imports form a cycle anywhere in the project. It reads the
 * import specifiers with the TypeScript compiler's own pre-processor (static, dynamic and type
 * imports alike), so what it checks is exactly what the compiler would resolve.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export type Layer =
  | "leaf"
  | "auth"
  | "validation"
  | "protocol"
  | "domain"
  | "store"
  | "wiring"
  | "functions"
  | "outside";

/** `functions/CreateDocument.ts` -> `CreateDocument`. */
const basename = (file: string) => file.slice(file.lastIndexOf("/") + 1).replace(/\.ts$/, "");

/** Which layer a project file (path relative to the root, with `/`) belongs to. */
export function layerOf(file: string): Layer {
  if (file === "shared/errors.ts" || file === "shared/context.ts" || file.startsWith("shared/lib/")) return "leaf";
  if (file.startsWith("shared/auth/")) return "auth";
  if (file.startsWith("shared/validation/")) return "validation";
  if (file.startsWith("shared/protocol/")) return "protocol";
  if (file.startsWith("shared/domain/")) return "domain";
  if (file.startsWith("shared/store/")) return "store";
  if (file === "shared/config.ts" || file === "shared/runtime.ts" || file === "shared/handler.ts") return "wiring";
  if (file.startsWith("functions/")) return "functions";
  if (file.startsWith("shared/")) return "wiring";
  return "outside";
}

const SHARED: Layer[] = ["leaf", "auth", "validation", "protocol", "domain", "store", "wiring"];

/** What each layer may import; anything else is an upward (or sideways) import. */
const ALLOWED: Record<Layer, Layer[]> = {
  leaf: ["leaf"],
  auth: ["leaf", "auth"],
  validation: ["leaf", "validation"],
  protocol: ["leaf", "auth", "validation", "protocol"],
  domain: ["leaf", "auth", "domain"],
  store: ["leaf", "auth", "domain", "store"],
  wiring: SHARED,
  functions: ["leaf", "domain", "wiring", "validation"],
  outside: [...SHARED, "functions", "outside"],
};

/** The one validation module a function imports: its own operation's generated model. */
const OPERATION_MODEL = /^shared\/validation\/generated\/operations\/([A-Za-z]+)\.ts$/;

/** The wiring a function may import: the handler, and the part of the runtime its operation uses. */
const FUNCTION_WIRING = /^shared\/(handler\.ts|services\/(?!runtime\.ts$)[a-z-]+\.ts)$/;

/** The domain files a store may use: the ports it implements, the records and the errors. */
const DOMAIN_FOR_STORES = /^shared\/domain\/.+\/(store|records|errors)\.ts$/;

/** Why an import from `from` to `to` breaks the dependency rule, or undefined when it does not. */
export function violation(from: string, to: string): string | undefined {
  const source = layerOf(from);
  const target = layerOf(to);
  if (!ALLOWED[source].includes(target)) return `${source} may not import ${target}`;
  if (source === "store" && target === "domain" && !DOMAIN_FOR_STORES.test(to)) {
    return "a store may import only a domain's store.ts, records.ts or errors.ts";
  }
  if (source === "functions" && target === "validation" && OPERATION_MODEL.exec(to)?.[1] !== basename(from)) {
    return "a function imports only its own operation's model (shared/validation/generated/operations/<Op>.ts)";
  }
  if (source === "functions" && target === "wiring" && !FUNCTION_WIRING.test(to)) {
    return "a function imports from the wiring only shared/handler.ts and its service's part (shared/services/<area>.ts)";
  }
  return undefined;
}

/** The import cycles of a graph (its strongly connected components with more than one file, or a self-import). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const edge of graph.get(node) ?? []) {
      if (!index.has(edge)) {
        visit(edge);
        low.set(node, Math.min(low.get(node) as number, low.get(edge) as number));
      } else if (onStack.has(edge)) {
        low.set(node, Math.min(low.get(node) as number, index.get(edge) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Every breach of the rules in an import graph, one line each. */
export function problems(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const lines: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const why = violation(from, to);
      if (why) lines.push(`${from} -> ${to}: ${why}`);
    }
  }
  for (const cycle of cycles(graph)) lines.push(`import cycle: ${cycle.join(" -> ")}`);
  return lines;
}

const SKIP = new Set(["node_modules", ".git", ".data", "dist", ".aws-sam"]);

function sourceFiles(root: string, folder = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(root, path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

/** The project's import graph: each source file and the project files it imports. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith(".") && specifier.endsWith(".ts"))
      .map((specifier) =>
        relative(root, normalize(join(root, dirname(file), specifier)))
          .split(sep)
          .join("/"),
      );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const graph = importGraph(root);
  const found = problems(graph);
  if (found.length > 0) {
    console.error(`${found.length} import rule(s) broken (see ARCHITECTURE.md):`);
    for (const line of found) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log(`layers: ${graph.size} files, no upward imports, no cycles`);
}
