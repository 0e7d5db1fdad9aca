/**
 * Builds the web console into dist/console/: one small entry module and stylesheet (what the
 * first paint needs), with pages and the SDK split into chunks loaded on demand, and an
 * index.html naming the hashed files. Run by `npm start`, by the console tests, and by
 * `npm run console` (for uploading to the deployed bucket).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const CONSOLE_DIST = fileURLToPath(new URL("../dist/console/", import.meta.url));

export type ConsoleBuild = { dir: string; files: { name: string; bytes: number }[]; entryBytes: number };

export async function buildConsole(outdir = CONSOLE_DIST): Promise<ConsoleBuild> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./src/main.ts", import.meta.url))],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    sourcemap: "linked",
    entryNames: "app-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "asset-[hash]",
    metafile: true,
    legalComments: "linked",
    logLevel: "warning",
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint?.endsWith("main.ts"));
  if (!entry) throw new Error("the console build has no entry output");
  const css = entry[1].cssBundle;
  if (!css) throw new Error("the console build has no stylesheet");
  const html = readFileSync(new URL("./index.html", import.meta.url), "utf8")
    .replace("%JS%", `./${basename(entry[0])}`)
    .replace("%CSS%", `./${basename(css)}`);
  writeFileSync(`${outdir}/index.html`, html);
  const files = outputs
    .filter(([name]) => !name.endsWith(".map") && !name.endsWith(".LEGAL.txt"))
    .map(([name, o]) => ({ name: basename(name), bytes: o.bytes }));
  const entryBytes = entry[1].bytes + (result.metafile.outputs[css]?.bytes ?? 0);
  return { dir: outdir, files, entryBytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildConsole();
  const total = built.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`built the console into ${built.dir}: ${built.files.length} files, ${(total / 1024).toFixed(0)} KiB`);
  console.log(`  first paint needs ${(built.entryBytes / 1024).toFixed(1)} KiB (entry module + stylesheet)`);
}
