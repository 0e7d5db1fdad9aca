/**
 * Bundle budget: each operation's Lambda bundle (npm run build) must stay under 1 MB. Reports
 * each bundle's size, what dominates it, and the time to import it in a fresh Node process (a
 * proxy for the cold start's module loading).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleOperations } from "../infra/build/bundle.ts";

const BUDGET_BYTES = 1024 * 1024;
const outdir = mkdtempSync(join(tmpdir(), "osm-bundles-"));
const bundles = await bundleOperations(outdir, undefined, { metafile: true });

/** Bytes per package (or our own code) in one bundle. */
function contributors(
  metafile: NonNullable<Awaited<typeof bundles> extends Map<string, infer M> ? M : never>,
): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = input.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
      const owner = match?.[1] ?? "open-state-manager";
      totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

let over = 0;
console.log("operation                                  size KB   import ms");
for (const [name, metafile] of bundles) {
  const file = join(outdir, name, "index.mjs");
  const size = statSync(file).size;
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log((performance.now() - t).toFixed(1));`;
  const importMs = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  }).trim();
  if (size > BUDGET_BYTES) over++;
  console.log(
    `${name.padEnd(40)} ${(size / 1024).toFixed(0).padStart(8)} ${importMs.padStart(10)}${size > BUDGET_BYTES ? "  OVER BUDGET" : ""}`,
  );
  if (name === "CreateAssociation" && metafile) {
    const top = contributors(metafile).slice(0, 6);
    console.log(
      `  largest parts of ${name}: ${top.map(([owner, bytes]) => `${owner} ${(bytes / 1024).toFixed(0)} KB`).join(", ")}`,
    );
  }
}
console.log(over === 0 ? `every bundle is under the ${BUDGET_BYTES / 1024} KB budget` : `${over} bundles over budget`);
process.exitCode = over === 0 ? 0 : 1;
