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

    // The creates packed into few transactions (issue 29, defect 4), each create's first run
    // pushed in its pack's transaction (issue 28, store/execution-items.ts runPuts): two packs of
    // 8 (their 100 items: the counter, the document's reference, 11 items each: head, version,
    // index item, the run's execution and target; the first wave's shard and message; the run's
    // command: head, payload, counts, invocation), the next pack refused for the limit as a whole,
    // then its entries one by one (four created, one refused; the rest fail without a call). The
    // reads of the first window shared (the document, the nodes, the node listing for the tag
    // target), and the small request's one read. Before issue 15: every entry read and tried its
    // own transaction (~20,000 calls); before issue 29, one transaction per create; before this
    // push in the run's own write, 4 calls more per created run.
    const writes = calls.filter((name) => name === "TransactWriteItemsCommand");
    expect(writes).toHaveLength(8);
    expect(calls.length).toBeLessThanOrEqual(8 + 6);

    const { items } = await assertAuditClean(table);
    expect(items).toBeDefined();
    const listed = await call("ListAssociations", { MaxResults: 50 });
    expect(listed.Associations).toHaveLength(LIMIT);
  });

  it("an account already at its limit: every entry fails after two refused writes", async () => {
    calls.length = 0;
    const answer = await call("CreateAssociationBatch", { Entries: Array.from({ length: 500 }, () => valid) });
    expect(answer.Successful).toEqual([]);
    expect(answer.Failed).toHaveLength(500);
    // The first pack refused as a whole, then its first entry alone: the limit's own refusal.
    expect(calls.filter((name) => name === "TransactWriteItemsCommand")).toHaveLength(2);
    expect(calls.length).toBeLessThanOrEqual(5);
  });

  it("entries on several documents and nodes, legacy ones included, packed: each created as CreateAssociation would, the audit clean", async () => {
    await call("CreateDocument", {
      Name: "batch-legacy-doc",
      Content: JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": { properties: [] } } }),
    });
    // Room under the limit: delete what the first test created.
    for (const a of (await call("ListAssociations", { MaxResults: 50 })).Associations)
      await call("DeleteAssociation", { AssociationId: a.AssociationId });
    calls.length = 0;
    const entries = [
      valid,
      { Name: "batch-legacy-doc", InstanceId: NODE },
      {
        Name: "AWS-RunShellScript",
        Targets: [{ Key: "tag:env", Values: ["batch"] }],
        Parameters: { commands: ["true"] },
      },
      { ...valid, AssociationName: "named" },
      // Refused inside its pack: a legacy pair already taken (by entry 2) would be
      // DuplicateInstanceId for the whole call; an unknown node is InvalidInstanceId for its entry.
      { Name: "batch-doc", Targets: [{ Key: "InstanceIds", Values: ["i-0cccccccccccccccc"] }] },
      { Name: "AWS-UpdateSSMAgent", InstanceId: TAGGED },
    ];
    const answer = await call("CreateAssociationBatch", { Entries: entries });
    expect(answer.Successful).toHaveLength(5);
    expect(answer.Failed).toEqual([expect.objectContaining({ Entry: entries[4] })]);
    // One transaction for the five (issue 29's packing), which also pushes the three runs of
    // schema 2.2 documents (issue 28: batch-doc twice, AWS-RunShellScript); the two schema 1.2
    // documents' runs are not commands, so not pushed.
    expect(calls.filter((name) => name === "TransactWriteItemsCommand")).toHaveLength(1);
    const items = await table.items();
    // Pushed all the same: a command per run (Comment `<association id>:<execution id>`), its
    // message in its node's queue (the earlier test's commands and messages are still there).
    const created = new Set(
      (answer.Successful as { AssociationId: string }[]).map((association) => association.AssociationId),
    );
    const commands = items.filter(
      (item) => item.Type === "Command" && created.has(String(item.Comment).split(":")[0] ?? ""),
    );
    expect(commands).toHaveLength(3);
    const ids = new Set(commands.map((command) => command.CommandId));
    const messages = items.filter(
      (item) => item.Type === "QueuedMessage" && ids.has(String(item.MessageId).split(".")[2]),
    );
    expect(messages.map((message) => message.Destination).sort()).toEqual([NODE, NODE, TAGGED].sort());
    const document = (name: string) => items.find((item) => item.Type === "Document" && item.Name === name);
    expect(document("batch-doc")?.AssociationCount).toBe(2);
    expect(document("batch-legacy-doc")?.AssociationCount).toBe(1);
    await assertAuditClean(table);
  });
});
