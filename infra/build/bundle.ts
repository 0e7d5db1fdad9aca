/**
 * `npm run build`: one ESM bundle per operation (dist/<Operation>/index.mjs), minified with
 * source maps, for the Lambda Node.js runtime. The deployment packages exactly these.
 */
import { build } from "esbuild";
import { operationNames } from "../local/operations.ts";

export async function bundleOperations(outdir = "dist", names = operationNames()): Promise<string[]> {
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [`functions/${name}.ts`],
        outfile: `${outdir}/${name}/index.mjs`,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "esm",
        minify: true,
        sourcemap: true,
        logLevel: "warning",
        // Some dependencies still `require` Node built-ins; give the ESM bundle a `require`.
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      }),
    ),
  );
  return names;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = await bundleOperations();
  console.log(`bundled ${names.length} operations into dist/`);
}
