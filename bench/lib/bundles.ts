/**
 * Cold start: each function's bundle as `npm run build` makes it (what the template deploys), its size, what dominates it (esbuild's metafile), and the time to import it
 * in a fresh Node process, the module-loading part of a Lambda cold start (median of a few; how:
 * measureBundles).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { bundleOperations, loadedAtImport, modulesAtImport, OTHER_ENTRIES } from "../../infra/build/bundle.ts";
import { operationNames } from "../../infra/local/operations.ts";
import { median } from "./load.ts";

export type BundleRow = {
  name: string;
  /** The whole bundle: index.mjs and the files of its dynamic imports (what is deployed). */
  bytes: number;
  /** What a cold start loads and compiles: index.mjs and the chunks it imports statically. */
  importBytes?: number;
  importMs: number | undefined;
  /** CPU time of the same imports (process.cpuUsage): what the import costs when other processes share the cores. */
  importCpuMs: number | undefined;
  largest: [string, number][];
};

/** Bytes per package (or our own folder) of what a cold start loads of one bundle, largest first. */
export function contributors(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const [input, bytes] of modulesAtImport(metafile)) {
    const match = input.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
    const owner = match?.[1] ?? input.replace(/\/[^/]*$/, "/");
    totals.set(owner, (totals.get(owner) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Milliseconds to import `file` in a fresh Node process: wall clock, and CPU time (user + system). */
function importTime(file: string): { wall: number; cpu: number } {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(file)}); const u = process.cpuUsage(c); console.log(performance.now() - t, (u.user + u.system) / 1000);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  const [wall, cpu] = out.trim().split(" ").map(Number);
  return { wall: wall ?? Number.NaN, cpu: cpu ?? Number.NaN };
}

/**
 * Builds every function (operations and the scheduler) and measures each; `importRuns` fresh
 * imports per function (0: sizes only), for the functions `timed` selects.
 *
 * How, so that the figure is the function's and not the machine's: the builds' files are flushed
 * to disk first (`sync`: 61 builds at once leave dirty pages for the kernel to write while the
 * first imports run); then one bundle is imported twice and thrown away, so the first function
 * measured does not pay for Node's and the bundles' first touch of the disk cache; then the runs
 * go round the functions (run 1 of every function, then run 2, ...), so a passing disturbance
 * costs any function one sample at most, and the median of its runs is the figure. An empty
 * module goes round with them: the floor of a fresh-process import on this machine at that time
 * (Node's module loader alone), so that a reader can tell a slow machine from a heavy bundle.
 */
export async function measureBundles(
  importRuns: number,
  timed: (name: string) => boolean = () => true,
): Promise<{ rows: BundleRow[]; emptyModuleMs: number | undefined }> {
  const outdir = mkdtempSync(join(tmpdir(), "osm-bundles-"));
  try {
    const names = [...operationNames(), ...Object.keys(OTHER_ENTRIES)];
    const bundles = await bundleOperations(outdir, names, { metafile: true });
    const fileOf = (name: string) => join(outdir, name, "index.mjs");
    const empty = join(outdir, "empty.mjs");
    writeFileSync(empty, "");
    const toTime = importRuns > 0 ? [...bundles.keys()].filter(timed) : [];
    const times = new Map<string, { wall: number; cpu: number }[]>(toTime.map((name) => [name, []]));
    const floor: number[] = [];
    if (toTime.length > 0) {
      execFileSync("sync");
      const warmUp = fileOf(names[names.length - 1] ?? "");
      for (let i = 0; i < 2; i++) importTime(warmUp);
      for (let run = 0; run < importRuns; run++) {
        floor.push(importTime(empty).wall);
        for (const name of toTime) times.get(name)?.push(importTime(fileOf(name)));
      }
    }
    const rows = [...bundles].map(([name, metafile]) => {
      const runs = times.get(name) ?? [];
      const folder = join(outdir, name);
      return {
        name,
        bytes: readdirSync(folder)
          .filter((file) => file.endsWith(".mjs"))
          .reduce((sum, file) => sum + statSync(join(folder, file)).size, 0),
        importBytes: metafile ? loadedAtImport(metafile).reduce((sum, [, output]) => sum + output.bytes, 0) : undefined,
        importMs: runs.length > 0 ? median(runs.map((t) => t.wall)) : undefined,
        importCpuMs: runs.length > 0 ? median(runs.map((t) => t.cpu)) : undefined,
        largest: metafile ? contributors(metafile).slice(0, 6) : [],
      };
    });
    return { rows, emptyModuleMs: floor.length > 0 ? median(floor) : undefined };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
