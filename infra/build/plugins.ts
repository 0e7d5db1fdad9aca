/**
 * The esbuild plugins of `npm run build`: what a Lambda bundle carries differently from the source
 * that `npm start` and the tests run. Each keeps behaviour and drops bytes from the cold start.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Plugin } from "esbuild";

/**
 * The SDK clients' default credential chain becomes its environment link alone
 * (lambda-credentials.ts says why). A plugin rather than esbuild's `alias`, so the replacement is
 * found wherever the build is started from.
 */
export const lambdaCredentials: Plugin = {
  name: "lambda-credentials",
  setup(build) {
    const path = fileURLToPath(new URL("./lambda-credentials.ts", import.meta.url));
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path }));
  },
};

/**
 * The AWS-owned documents' texts (shared/domain/documents/aws-owned/*.json, about 95 KB, in
 * the bundle of every function that reads documents) ship gzipped and are
 * inflated on first read: about 28 KB of base64 instead, and nothing to parse at import. The
 * catalogue is built lazily (aws-owned/index.ts), so a function that never reads it never
 * inflates them; the text read is byte for byte the file's `content`.
 */
export const compressedAwsOwnedDocuments: Plugin = {
  name: "compressed-aws-owned-documents",
  setup(build) {
    build.onLoad({ filter: /[\\/]aws-owned[\\/][^\\/]+\.json$/ }, ({ path }) => {
      const { content, ...entry } = JSON.parse(readFileSync(path, "utf8")) as { content: string };
      const packed = gzipSync(Buffer.from(content, "utf8"), { level: 9 }).toString("base64");
      return {
        loader: "js",
        contents: [
          `import { gunzipSync } from "node:zlib";`,
          `let content;`,
          // Pure: a bundle that imports the catalogue but never reads it leaves it out.
          `export default /* @__PURE__ */ Object.defineProperty(${JSON.stringify(entry)}, "content", {`,
          `  enumerable: true,`,
          `  get: () => (content ??= gunzipSync(Buffer.from(${JSON.stringify(packed)}, "base64")).toString("utf8")),`,
          `});`,
        ].join("\n"),
      };
    });
  },
};

/**
 * An SDK client's package.json, which its runtime config imports whole for one field, the
 * client's version in the user agent: only that field (about 2.3 KB less per client in every
 * bundle, the DynamoDB and the Secrets Manager clients').
 */
export const sdkClientVersionOnly: Plugin = {
  name: "sdk-client-version-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]package\.json$/ }, ({ path }) => {
      const { version } = JSON.parse(readFileSync(path, "utf8")) as { version: string };
      return { loader: "js", contents: `export default { version: ${JSON.stringify(version)} };` };
    });
  },
};

/**
 * `yaml` as its ES module build (the package's `browser/dist`, the same source as its CommonJS
 * `dist` that the `node` export condition picks): esbuild keeps only what content.ts calls
 * (parse, stringify) and evaluates it without CommonJS wrappers. The two builds differ only in
 * how they warn (console instead of process.emitWarning) and how YAML 1.1's `!!binary` decodes,
 * neither of which a document reaches: content is parsed with the default YAML 1.2 core schema.
 */
export const yamlModuleBuild: Plugin = {
  name: "yaml-module-build",
  setup(build) {
    const root = dirname(createRequire(import.meta.url).resolve("yaml/package.json"));
    const path = join(root, "browser", "dist", "index.js");
    build.onResolve({ filter: /^yaml$/ }, () => ({ path }));
  },
};

/** A module loaded by a dynamic `import()` that no function reaches becomes a module that refuses to load. */
function leftOut(name: string, specifier: RegExp, why: string): Plugin {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: specifier }, ({ kind, path }) =>
        kind === "dynamic-import" ? { path, namespace: name } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: name }, ({ path }) => ({
        loader: "js",
        contents: `throw new Error(${JSON.stringify(`${path} is left out of this bundle: ${why}`)});`,
      }));
    },
  };
}

/**
 * The SDK's event-stream support, which its protocol layer loads with a dynamic `import()` only
 * for an operation with an event-stream member, becomes a module that refuses to load: no
 * DynamoDB or Secrets Manager operation has one. Left in, it would be a file of its own beside
 * each bundle (infra/build/bundle.ts splits dynamic imports off), compiled only if loaded; before
 * the split, esbuild wrapped it and every module it reaches (about 150 of the SDK's, shared with
 * the client itself) in a lazy initializer, so each of them was compiled twice and run through a
 * wrapper at every cold start.
 */
export const withoutEventStreams = leftOut(
  "without-event-streams",
  /^@smithy\/core\/event-streams$/,
  "no operation it calls streams events",
);

/**
 * `bowser`, which the SDK's browser user-agent provider loads with a dynamic `import()`: that
 * provider is tree-shaken out of a Node.js bundle, but the split build (infra/build/bundle.ts)
 * would still write bowser as a 35 KB file of its own beside every bundle, never loaded.
 */
export const withoutBrowserUserAgent = leftOut(
  "without-browser-user-agent",
  /^bowser$/,
  "a Lambda function runs in Node.js, not a browser",
);

/**
 * @middy/core's streaming-response imports, loaded when used rather than at import. Middy imports
 * `node:stream/web` and `node:stream/promises` at its top for `streamifyResponse`, which no
 * operation here turns on; loading Node's web streams costs several milliseconds of every cold
 * start. In the bundle, middy's `ReadableStream` is a class whose `instanceof` asks Node's own
 * (created on first use) and its `pipeline` imports Node's on first call: the same behaviour.
 */
export const lazyMiddyStreams: Plugin = {
  name: "lazy-middy-streams",
  setup(build) {
    const fromMiddy = (importer: string) => /[\\/]@middy[\\/]core[\\/]/.test(importer);
    build.onResolve({ filter: /^node:stream\/(web|promises)$/ }, ({ path, importer }) =>
      fromMiddy(importer) ? { path, namespace: "lazy-middy-streams" } : undefined,
    );
    build.onLoad({ filter: /^node:stream\/web$/, namespace: "lazy-middy-streams" }, () => ({
      loader: "js",
      contents: [
        "export class ReadableStream {",
        "  static [Symbol.hasInstance](value) { return value instanceof globalThis.ReadableStream; }",
        "}",
      ].join("\n"),
    }));
    build.onLoad({ filter: /^node:stream\/promises$/, namespace: "lazy-middy-streams" }, () => ({
      loader: "js",
      contents:
        'export const pipeline = (...streams) => import("node:stream/promises").then((m) => m.pipeline(...streams));',
    }));
  },
};
