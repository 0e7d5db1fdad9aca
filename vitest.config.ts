import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Quiets the SDK's notice on a Node.js older than it (and package.json's engines) supports, for
    // a developer whose own node is older; CI runs on Node.js 24, where it has nothing to quiet.
    // test/e2e/npm-start.test.ts starts the product without it and finds no warning.
    // ADMISSION_MAX_WAIT_MS: the suite runs many servers at once on two cores, where a burst of a
    // test's calls may wait in npm start's line past the product's 1 s (infra/local/admission.ts)
    // and be refused with ThrottlingException; what admission control does at its own limits is
    // tested with explicit limits in test/e2e/admission.test.ts.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ADMISSION_MAX_WAIT_MS: "30000" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
