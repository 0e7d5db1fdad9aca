/**
 * CreateAssociationBatch does bounded work per request (issue 15, item 3: 10,000 entries took
 * 9-26 s, every entry with its own reads and transaction). AWS documents no cap on the entries
 * of one request; the bound is the account's association limit (AssociationLimitExceeded, "You
 * can have at most 2,000 active associations", lowered to 20 here): once an entry is refused for
 * it, every later entry fails at once, without a DynamoDB call, and the entries checked together
 * share their reads (shared/domain/associations/batch.ts). Counted at the wire, as
 * test/call-counts does; no timed assertion.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assertAuditClean } from "../reliability/audit.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const LIMIT = 20;
const NODE = "i-0bbbbbbbbbbbbbbb1";
const TAGGED = "i-0bbbbbbbbbbbbbbb2";
let table: TestTable;
const calls: string[] = [];

beforeAll(async () => {
  table = await freshTable({ associationLimit: LIMIT });
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("UpdateInstanceInformation", { InstanceId: TAGGED, PlatformType: "Linux" });
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: TAGGED,
    Tags: [{ Key: "env", Value: "batch" }],
  });
  await call("CreateDocument", { Name: "batch-doc", Content: commandContent() });
});

const valid = { Name: "batch-doc", Targets: [{ Key: "InstanceIds", Values: [NODE] }] };

describe("CreateAssociationBatch: bounded work per request", () => {
  it("10,000 entries: creates up to the account's limit, fails the rest at once, with a bounded number of DynamoDB calls, and a concurrent request is not starved", async () => {
    const entries = [
      valid,
      { Name: "no-such-batch-doc", Targets: valid.Targets },
      { ...valid, ScheduleExpression: "rate(1 second)" },
      { Name: "batch-doc", Targets: [{ Key: "tag:env", Values: ["batch"] }] },
      ...Array.from({ length: 9_996 }, () => valid),
    ];
    await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
    calls.length = 0;
    const finished: string[] = [];
    const batch = invoke("CreateAssociationBatch", { Entries: entries }).then((answer) => {
      finished.push("batch");
      return answer;
    });
    // A small request sent once the batch is under way answers before the batch does.
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const small = invoke("DescribeDocument", { Name: "batch-doc" }).then((answer) => {
      finished.push("small");
      return answer;
    });
    const [answer, describe] = await Promise.all([batch, small]);
    expect(describe.status).toBe(200);
    expect(finished).toEqual(["small", "batch"]);

    expect(answer.status).toBe(200);
    const { Successful, Failed } = answer.body as {
      Successful: { Name: string; Targets: unknown }[];
      Failed: { Entry: unknown; Message: string; Fault: string }[];
    };
    expect(Successful).toHaveLength(LIMIT);
    expect(Successful.every((a) => a.Name === "batch-doc")).toBe(true);
    expect(Successful[1]).toMatchObject({ Targets: [{ Key: "tag:env", Values: ["batch"] }] });
    expect(Failed).toHaveLength(entries.length - LIMIT);
    expect(Failed[0]).toEqual({
      Entry: entries[1],
      Message: expect.stringContaining("does not exist"),
      Fault: "Client",
    });
    expect(Failed[1]).toEqual({ Entry: entries[2], Message: expect.stringContaining("schedule"), Fault: "Client" });
    // The entries past the limit, as CreateAssociation answers the limit, in the request's order.
    const limited = Failed.slice(2);
    expect(limited.every((f) => f.Message === `You can have at most ${LIMIT} active associations.`)).toBe(true);
    expect(limited.every((f) => f.Fault === "Client")).toBe(true);
    expect(limited[0]?.Entry).toEqual(entries[LIMIT + 2]);

    // One transaction per created association and one refused for the limit; the reads of the
    // first window shared (the document, the nodes, the node listing for the tag target), and the
    // small request's one read. Before: every entry read and tried its own transaction (~20,000 calls).
    // Each created association's first run is pushed (issue 28, shared/domain/executions/dispatch.ts),
    // still bounded by the limit, not by the entries: per run, its one target's release (a
    // transaction), the document's content, the command (a batch, then its head) and the message.
    const writes = calls.filter((name) => name === "TransactWriteItemsCommand");
    expect(writes).toHaveLength(LIMIT + 1 + LIMIT);
    expect(calls.length).toBeLessThanOrEqual(LIMIT + 1 + 6 + 5 * LIMIT);

    const { items } = await assertAuditClean(table);
    expect(items).toBeDefined();
    const listed = await call("ListAssociations", { MaxResults: 50 });
    expect(listed.Associations).toHaveLength(LIMIT);
  });

  it("an account already at its limit: every entry fails with one refused write", async () => {
    calls.length = 0;
    const answer = await call("CreateAssociationBatch", { Entries: Array.from({ length: 500 }, () => valid) });
    expect(answer.Successful).toEqual([]);
    expect(answer.Failed).toHaveLength(500);
    expect(calls.filter((name) => name === "TransactWriteItemsCommand")).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(4);
  });
});
