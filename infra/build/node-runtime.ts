/**
 * The Node.js major version the functions run on when deployed: the template's Lambda runtime
 * (`nodejs24.x`, the active LTS) and the version esbuild compiles the bundles for. CI runs the
 * tests on it (.ci/node.sh), and the benchmarks say when they ran on another.
 */
export const LAMBDA_NODE_MAJOR = 24;

export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x`;
export const ESBUILD_TARGET = `node${LAMBDA_NODE_MAJOR}`;
