/**
 * The stores' document client resolves each command class's middleware once
 * (shared/store/caching-document-client.ts). What it must never change: every call is its own
 * command (its own input, its own answer), and a middleware added or removed after the first
 * call applies from the next call on (tests meter calls and inject faults that way).
 */
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
  for (const id of ["a", "b", "c"]) {
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { PK: `CACHE#${id}`, SK: "ITEM", Value: id, Map: { [id]: [id] } },
      }),
    );
  }
});

const get = (id: string) =>
  table.db.send(new GetCommand({ TableName: table.name, Key: { PK: `CACHE#${id}`, SK: "ITEM" } }));

describe("the stores' document client", () => {
  it("answers each command with its own input, the marshalling included, after the chain is cached", async () => {
    const answers = await Promise.all(["a", "b", "c", "missing", "a"].map(get));
    expect(answers.map((answer) => answer.Item?.Value)).toEqual(["a", "b", "c", undefined, "a"]);
    expect(answers[1]?.Item?.Map).toEqual({ b: ["b"] });
    const query = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": "CACHE#c" },
      }),
    );
    expect(query.Items?.map((item) => item.Value)).toEqual(["c"]);
  });

  it("resolves a command class's middleware once, not on every call", async () => {
    await get("a");
    const marshalling = vi.spyOn(
      GetCommand.prototype as unknown as { addMarshallingMiddleware: (config: unknown) => void },
      "addMarshallingMiddleware",
    );
    try {
      for (const id of ["a", "b", "c"]) expect((await get(id)).Item?.Value).toBe(id);
      expect(marshalling).not.toHaveBeenCalled();
    } finally {
      marshalling.mockRestore();
    }
  });

  it("applies a middleware added after the first call to the next one, and stops when it is removed", async () => {
    await get("a");
    const seen: string[] = [];
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String((context as { commandName?: string }).commandName));
        return next(args);
      },
      { step: "initialize", name: "cacheTestRecorder" },
    );
    expect((await get("b")).Item?.Value).toBe("b");
    expect(seen).toEqual(["GetItemCommand"]);
    table.db.middlewareStack.remove("cacheTestRecorder");
    expect((await get("c")).Item?.Value).toBe("c");
    expect(seen).toEqual(["GetItemCommand"]);
  });
});
