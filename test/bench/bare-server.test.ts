/**
 * The bare server (bench/bare-server.ts), the ceiling `npm run bench` puts beside a write's
 * ratio: it must make the write's own calls, not fewer or lighter ones, or the ceiling it gives
 * would be one our endpoint could never be held to. A write's calls are recorded as the bench
 * records them (its meter on the service's client), handed to the bare server in its own process,
 * and what one request to it writes is compared with the write's own transaction.
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BareServer, revive, startBareServer, tag } from "../../bench/lib/bare.ts";
import { TABLE } from "../../bench/lib/environment.ts";
import { DynamoMeter, type MeteredCall } from "../../bench/lib/meter.ts";
import { caller } from "../../bench/lib/operations.ts";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { commandContent } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY } from "../support/identity.ts";
import { invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
let bare: BareServer;
/** The bench's meter on the service's client, as bench/lib/environment.ts attaches it. */
let meter: DynamoMeter;
let calls: MeteredCall[];
/** Our answer to the write, which the bare server gives back. */
let answer: string;

beforeAll(async () => {
  table = await freshTable();
  // The table the raws and the bare server write in (bench/lib/environment.ts's).
  await ensureTable(dynamoDbClient(table.endpoint, "us-east-1"), TABLE);
  bare = await startBareServer(table.endpoint, "us-east-1");
  // The access key read and cached first, as on the bench's warm endpoint: not the write's call.
  await invoke("ListDocuments", { MaxResults: 1 });
  meter = new DynamoMeter();
  meter.capacity = false;
  meter.attach(table.db);
  expect((await invoke("CreateDocument", { Name: "bare-doc", Content: commandContent("1") })).status).toBe(200);
  const run = await meter.run(() =>
    invoke("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fleet", Values: ["bare"] }],
      Parameters: { commands: ["echo bare"] },
    }),
  );
  expect(run.result.status).toBe(200);
  calls = run.tally.calls;
  answer = JSON.stringify(run.result.body);
});

afterAll(async () => {
  await bare?.close();
});

/** What the bare server has written: every item of its fresh partitions. */
async function written(): Promise<Record<string, unknown>[]> {
  const { Items } = await table.db.send(
    new ScanCommand({
      TableName: TABLE,
      FilterExpression: "begins_with(PK, :calls)",
      ExpressionAttributeValues: { ":calls": "BENCH#calls#" },
    }),
  );
  return Items ?? [];
}

describe("the bare server", () => {
  it("is told a write's calls: its read first, then its transaction, then its audit record (label as the bench prints it)", async () => {
    expect(calls.map((call) => call.command)).toEqual(["Query", "TransactWriteItems", "PutItem"]);
    const label = await bare.plan({ operation: "CreateAssociation", kind: "write", calls, body: answer });
    expect(label).toBe(`its calls: Query → TransactWriteItems(${calls[1]?.items}) → PutItem`);
  });

  it("writes, for each request, the write's own transaction items and audit record on fresh keys: same sort keys, same attributes", async () => {
    const transaction = calls.find((call) => call.command === "TransactWriteItems") as MeteredCall;
    const entries = transaction.input.TransactItems as Record<
      string,
      {
        Item?: Record<string, unknown>;
        Key?: Record<string, unknown>;
        ExpressionAttributeValues?: Record<string, unknown>;
      }
    >[];
    // Each Put's item, and each Update's key with its values: what the bare server writes (the
    // marshaller drops an attribute left undefined, as for the write itself).
    const defined = (item: Record<string, unknown>) => Object.keys(item).filter((name) => item[name] !== undefined);
    const expected = entries.flatMap((entry) => {
      if (entry.Put?.Item) return [{ SK: entry.Put.Item.SK, names: defined(entry.Put.Item).sort() }];
      if (entry.Update?.Key)
        return [
          {
            SK: entry.Update.Key.SK,
            names: [
              "PK",
              "SK",
              ...Object.keys(entry.Update.ExpressionAttributeValues ?? {}).map((n) => `value_${n.slice(1)}`),
            ].sort(),
          },
        ];
      return [];
    });
    expect(expected.length).toBeGreaterThanOrEqual(4);
    // And the audit record, written after the answer.
    const audit = calls.find((call) => call.command === "PutItem")?.input.Item as Record<string, unknown>;
    expect(audit.Type).toBe("AuditEvent");
    expected.push({ SK: audit.SK, names: defined(audit).sort() });
    const client = caller(bare.url, DEFAULT_IDENTITY);
    const request = { Name: "AWS-RunShellScript", Targets: [{ Key: "tag:fleet", Values: ["bare"] }] };
    // Our answer, given back (the client reads as much as from ours).
    const given = (await client.send("CreateAssociation", request)) as { AssociationDescription?: unknown };
    const ours = JSON.parse(answer) as { AssociationDescription: { AssociationId: string } };
    expect(given.AssociationDescription).toMatchObject({ AssociationId: ours.AssociationDescription.AssociationId });
    const once = await written();
    const bySk = (items: { SK: unknown }[]) => [...items].sort((a, b) => String(a.SK).localeCompare(String(b.SK)));
    expect(bySk(once.map((item) => ({ SK: item.SK, names: Object.keys(item).sort() })))).toEqual(bySk(expected));
    // Its index entries point into partitions of the bench's own, never the account's lists.
    for (const item of once)
      for (const name of ["GSI1PK", "GSI2PK"]) if (name in item) expect(String(item[name])).toMatch(/^BENCH#calls#/);
    // Again: fresh keys, so the replayed conditions hold and the items add up.
    await client.send("CreateAssociation", request);
    expect((await written()).length).toBe(2 * expected.length);
  });

  it("replays a read's calls as they were and answers what ours did", async () => {
    const run = await meter.run(() => invoke("DescribeDocument", { Name: "bare-doc" }));
    expect(run.result.status).toBe(200);
    const read = run.tally.calls;
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((call) => call.command !== "TransactWriteItems")).toBe(true);
    const label = await bare.plan({
      operation: "DescribeDocument",
      kind: "read",
      calls: read,
      body: JSON.stringify(run.result.body),
    });
    expect(label).toMatch(/^its calls: /);
    const given = (await caller(bare.url, DEFAULT_IDENTITY).send("DescribeDocument", { Name: "x" })) as {
      Document?: { Name?: string };
    };
    expect(given.Document?.Name).toBe("bare-doc");
  });

  it("answers a request for an operation it was not told with a 500, not {}", async () => {
    const client = caller(bare.url, DEFAULT_IDENTITY);
    await expect(client.send("DeleteAssociation", { AssociationId: "x" })).rejects.toThrow(/no plan/);
  });
});

describe("the calls as they cross to the bare server", () => {
  it("keep a set and binary values (a Uint8Array, a Buffer) through JSON", () => {
    const input = { tags: new Set(["a", "b"]), blob: new Uint8Array([0, 1, 255]), buffer: Buffer.from("hi"), n: 1 };
    const crossed = JSON.parse(JSON.stringify(input, tag), revive);
    expect(crossed.tags).toEqual(new Set(["a", "b"]));
    expect(crossed.blob).toEqual(new Uint8Array([0, 1, 255]));
    expect(Buffer.from(crossed.buffer).toString()).toBe("hi");
    expect(crossed.n).toBe(1);
  });
});
