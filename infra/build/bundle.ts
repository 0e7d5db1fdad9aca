/**
 * `npm run build`: one ESM bundle per operation (dist/<Operation>/index.mjs), minified with
 * source maps, for the Lambda Node.js runtime. The deployment packages exactly these.
 */
import { build, type Metafile } from "esbuild";
import { operationNames } from "../local/operations.ts";
import {
  compressedAwsOwnedDocuments,
  lambdaCredentials,
  lazyMiddyStreams,
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
  const results = await Promise.all(
    names.map((name) =>
      build({
        metafile: options.metafile ?? false,
        entryPoints: [OTHER_ENTRIES[name] ?? `functions/${name}.ts`],
        outfile: `${outdir}/${name}/index.mjs`,
        bundle: true,
        platform: "node",
        target: "node20",
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
          lazyMiddyStreams,
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const bundles = await bundleOperations("dist", [...operationNames(), ...Object.keys(OTHER_ENTRIES)]);
  console.log(`bundled ${bundles.size} functions into dist/`);
}
