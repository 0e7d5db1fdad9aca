/**
 * The stores' joined reads (shared/store/items.ts batchGet, batchGetById): reads of one table
 * and projection started in the same turn go to DynamoDB as one BatchGetItem, and each caller
 * gets exactly the items it asked for, whether its keys were the batch's only ones or shared it.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { batchGet, batchGetById, keyId } from "../../shared/store/items.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const key = (id: string) => ({ PK: `BATCH#${id}`, SK: "ITEM" });

beforeAll(async () => {
  table = await freshTable();
  for (const id of ["a", "b", "c"]) {
    await table.db.send(new PutCommand({ TableName: table.name, Item: { ...key(id), Value: id, Extra: `x${id}` } }));
  }
});

/** The BatchGetItem calls `read` makes, each as the number of keys it names. */
async function batches<T>(read: () => Promise<T>): Promise<{ result: T; calls: number[] }> {
  const calls: number[] = [];
  const name = `count-${Math.random()}`;
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      if ((context as { commandName?: string }).commandName === "BatchGetItemCommand") {
        const items = (args.input as { RequestItems: Record<string, { Keys: unknown[] }> }).RequestItems;
        calls.push(Object.values(items).reduce((sum, entry) => sum + entry.Keys.length, 0));
      }
      return next(args);
    },
    { step: "initialize", name },
  );
  try {
    return { result: await read(), calls };
  } finally {
    table.db.middlewareStack.remove(name);
  }
}

const values = (items: Record<string, unknown>[]) => items.map((item) => item.Value).sort();

describe("joined reads", () => {
  it("give a read alone its items, once each, however often it names a key", async () => {
    const { result, calls } = await batches(() =>
      batchGet(table.db, table.name, [key("a"), key("missing"), key("b"), key("a")]),
    );
    expect(values(result)).toEqual(["a", "b"]);
    expect(calls).toEqual([3]);
  });

  it("give each of the reads that share a batch its own items, in one BatchGetItem", async () => {
    const { result, calls } = await batches(() =>
      Promise.all([
        batchGet(table.db, table.name, [key("a"), key("b")]),
        batchGet(table.db, table.name, [key("c")]),
        batchGetById(table.db, table.name, [key("b"), key("missing")]),
      ]),
    );
    const [first, second, byId] = result;
    expect(values(first)).toEqual(["a", "b"]);
    expect(values(second)).toEqual(["c"]);
    expect(byId.get(keyId(key("b")))?.Value).toBe("b");
    expect(byId.has(keyId(key("missing")))).toBe(false);
    expect(calls).toEqual([4]);
  });

  it("join only reads of the same projection, and read only its attributes (and the keys)", async () => {
    const projection = ["Value"];
    const { result, calls } = await batches(() =>
      Promise.all([
        batchGet(table.db, table.name, [key("a")], projection),
        batchGetById(table.db, table.name, [key("b")], projection),
        batchGet(table.db, table.name, [key("c")]),
      ]),
    );
    const [projected, byId, whole] = result;
    expect(projected).toEqual([{ ...key("a"), Value: "a" }]);
    expect(byId.get(keyId(key("b")))).toEqual({ ...key("b"), Value: "b" });
    expect(whole).toEqual([{ ...key("c"), Value: "c", Extra: "xc" }]);
    expect(calls.sort()).toEqual([1, 2]);
  });
});
