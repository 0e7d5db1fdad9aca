/**
 * `npm run build`: one ESM bundle per operation (dist/<Operation>/index.mjs, with a file beside it
 * for each dynamic import), minified with source maps, for the Lambda Node.js runtime. The
 * deployment packages exactly these folders.
 */
import { rmSync } from "node:fs";
import { build, type Metafile } from "esbuild";
import { operationNames } from "../local/operations.ts";
import { ESBUILD_TARGET } from "./node-runtime.ts";
import {
  compressedAwsOwnedDocuments,
  lambdaCredentials,
  lazyMiddyStreams,
  sdkClientVersionOnly,
  withoutBrowserUserAgent,
  withoutEventStreams,
  yamlModuleBuild,
} from "./plugins.ts";

/** Entry points that are not operations (no route): the scheduler. */
export const OTHER_ENTRIES: Record<string, string> = { Scheduler: "functions/scheduled/Scheduler.ts" };

export async function bundleOperations(
  outdir = "dist",
  names = operationNames(),
  options: { metafile?: boolean } = {},
): Promise<Map<string, Metafile | undefined>> {
  // A function's folder is exactly its last build: no chunk of an earlier one stays to be deployed.
  for (const name of names) rmSync(`${outdir}/${name}`, { recursive: true, force: true });
  const results = await Promise.all(
    names.map((name) =>
      build({
        metafile: options.metafile ?? false,
        entryPoints: [OTHER_ENTRIES[name] ?? `functions/${name}.ts`],
        outdir: `${outdir}/${name}`,
        entryNames: "index",
        chunkNames: "[name]-[hash]",
        outExtension: { ".js": ".mjs" },
        // What an operation loads only on a rare path (a dynamic `import()`: GetDocument's
        // conversion between JSON and YAML) is a file of its own beside index.mjs, read only
        // when that path runs, so the cold start does not compile it.
        splitting: true,
        bundle: true,
        platform: "node",
        target: ESBUILD_TARGET,
        format: "esm",
        minify: true,
        // Licence comments stay in node_modules; the bundle is parsed at every cold start.
        legalComments: "none",
        sourcemap: true,
        logLevel: "warning",
        plugins: [
          lambdaCredentials,
          compressedAwsOwnedDocuments,
          yamlModuleBuild,
          withoutEventStreams,
          withoutBrowserUserAgent,
          lazyMiddyStreams,
          sdkClientVersionOnly,
        ],
        // The SDK's ES module builds (`module`) before its CommonJS ones: esbuild can drop what a
        // function never calls only from ES modules (about 190 KB of each bundle: the DynamoDB
        // client's other commands, browser user-agent parsing).
        mainFields: ["module", "main"],
      }),
    ),
  );
  return new Map(names.map((name, i) => [name, results[i]?.metafile]));
}

type Output = Metafile["outputs"][string];

/**
 * The files of a function's bundle that its cold start loads, with their metafile entries:
 * index.mjs and the chunks it imports statically (transitively); not the files of its dynamic
 * imports, which load only on the path that imports them.
 */
export function loadedAtImport(metafile: Metafile): [string, Output][] {
  const { outputs } = metafile;
  const entry = Object.keys(outputs).find((path) => /(^|\/)index\.mjs$/.test(path));
  const loaded = new Map<string, Output>();
  const visit = (path: string | undefined) => {
    const output = path === undefined ? undefined : outputs[path];
    if (path === undefined || !output || loaded.has(path)) return;
    loaded.set(path, output);
    for (const { path: imported, kind } of output.imports) if (kind === "import-statement") visit(imported);
  };
  visit(entry);
  return [...loaded];
}

/** The modules whose code a function's cold start loads (esbuild lists tree-shaken ones too, with 0 bytes): path and bytes. */
export function modulesAtImport(metafile: Metafile | undefined): Map<string, number> {
  const modules = new Map<string, number>();
  for (const [, output] of metafile ? loadedAtImport(metafile) : []) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) modules.set(input, (modules.get(input) ?? 0) + bytesInOutput);
    }
  }
  return modules;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bundles = await bundleOperations("dist", [...operationNames(), ...Object.keys(OTHER_ENTRIES)]);
  console.log(`bundled ${bundles.size} functions into dist/`);
}
