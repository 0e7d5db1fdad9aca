/**
 * Every operation's tests are found by its name: a test file named after it, or a `describe`
 * whose title names it (ARCHITECTURE.md, "How to add an operation").
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { operationNames } from "../../infra/local/operations.ts";

const TEST_DIR = new URL("..", import.meta.url);

function testFiles(folder = ""): string[] {
  return readdirSync(new URL(folder, TEST_DIR), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? testFiles(`${folder}${entry.name}/`)
      : entry.name.endsWith(".test.ts")
        ? [`${folder}${entry.name}`]
        : [],
  );
}

describe("tests by operation", () => {
  it("name every operation in a file name or a describe title", () => {
    const files = testFiles();
    const titles = files.flatMap((file) =>
      [...readFileSync(new URL(file, TEST_DIR), "utf8").matchAll(/describe\("([^"]+)"/g)].map((match) => match[1]),
    );
    const unfound = operationNames().filter(
      (operation) =>
        !files.some((file) => file.endsWith(`/${operation}.test.ts`)) &&
        !titles.some((title) => new RegExp(`\\b${operation}\\b`).test(title ?? "")),
    );
    expect(unfound).toEqual([]);
  });
});
