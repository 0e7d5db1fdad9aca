import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createRuntime, installRuntime } from "../../shared/runtime.ts";
import { invoke } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  const table = await freshTable();
  // The handlers of this file point at a table that does not exist: every DynamoDB call fails.
  installRuntime(createRuntime({ ...table.options, tableName: "no-such-table" }));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an unexpected failure", () => {
  it("is answered as InternalServerError without internals, and logged with its stack and request id", async () => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => {
      logged.push(String(line));
    });
    const answer = await invoke("DescribeDocument", { Name: "anything" });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      __type: "InternalServerError",
      message: "An internal error occurred. Try again later.",
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/no-such-table|ResourceNotFound|at /);

    expect(logged).toHaveLength(1);
    const entry = JSON.parse(logged[0] as string);
    expect(entry).toMatchObject({ level: "error", operation: "DescribeDocument", requestId: expect.any(String) });
    expect(entry.error.stack).toEqual(expect.stringContaining("ResourceNotFoundException"));
  });
});
