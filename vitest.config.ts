import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Quiets the SDK's notice on a Node.js older than it (and package.json's engines) supports, for
    // a developer whose own node is older; CI runs on Node.js 24, where it has nothing to quiet.
    // test/e2e/npm-start.test.ts starts the product without it and finds no warning.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
