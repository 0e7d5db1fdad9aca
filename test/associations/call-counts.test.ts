/**
 * The DynamoDB calls each association operation makes: the minimum its semantics need (every
 * operation's, in one scenario: test/call-counts/operations.test.ts and docs/dynamodb-calls.md).
 *
 * | operation                          | calls | what                                                     |
 * |------------------------------------|-------|----------------------------------------------------------|
 * | CreateAssociation (own document)   | 2     | document head, default version and the named nodes in    |
 * |                                    |       | one BatchGetItem, one transaction; its run pushed (issue |
 * |                                    |       | 28) in that transaction: the first wave released, the    |
 * |                                    |       | command (head, payload, counts, invocations), messages   |
 * | CreateAssociation (AWS document,   | 2     | the named nodes, one transaction (AWS documents are      |
 * |   InstanceIds target)              |       | built in)                                                |
 * | CreateAssociation (tag targets,    | 1     | one transaction: tag targets are resolved when they run  |
 * |   AWS document)                    |       |                                                          |
 * | DescribeAssociation (by id)        | 1     | the association head                                     |
 * | DescribeAssociation (name+node)    | 1     | the legacy pair, a copy of the head                      |
 * | UpdateAssociation (own document)   | 3     | head, document head + version (one batch), one           |
 * |                                    |       | transaction                                              |
 * | DeleteAssociation (by id)          | 2     | head, one transaction that also deletes every version    |
 * |                                    |       | (with runs: + a query of its partition and one per run   |
 * |                                    |       | with targets, all in the one transaction while it fits   |
 * |                                    |       | 100 items; past that a tombstone, then batch deletes)    |
 * | ListAssociations (one page)        | 1     | one GSI query                                            |
 * | UpdateAssociationStatus            | 2     | the document head (none for an AWS document), the node   |
 * |                                    |       | and the legacy pair, a copy of the head with the node's  |
 * |                                    |       | run target, in ONE batch; one transaction                |
 * | UpdateInstanceAssociationStatus    | 6     | the node, the head, the node's last status, one          |
 * |                                    |       | transaction (status + rollup); AUTO compliance: the      |
 * |                                    |       | node's compliance query and one conditional put          |
 * |                                    |       | (+1 read, the document head, for an account's own        |
 * |                                    |       | document at $DEFAULT/$LATEST when no run recorded the    |
 * |                                    |       | version that ran)                                        |
 * | ListInstanceAssociations           | 6     | the node; then at once one index query per lookup key    |
 * |                                    |       | (its id and `*`; +2 per tag of the node) and the node's  |
 * |                                    |       | statuses (one GSI query); the candidate heads (one       |
 * |                                    |       | BatchGetItem per 100); the node's targets in the current |
 * |                                    |       | runs (one BatchGetItem); +2 reads per distinct own       |
 * |                                    |       | document, for its checksum. None grows with the account's|
 * |                                    |       | other associations (test/associations/node-view.test.ts) |
 * | DescribeEffectiveInstance-         | 4     | the node, one index query per lookup key (as above), the |
 * |   Associations                     |       | candidate heads; +2 reads per own document in the page   |
 * | DescribeInstanceAssociationsStatus | 2     | the node, the node's statuses (one GSI query)            |
 *
 * Every request also authenticates, which costs one read per access key per cold cache (not
 * counted here: the key is cached by the first call). A mutating request made with account
 * credentials then writes its audit record (one PutItem, after the answer: shared/domain/audit/),
 * counted apart from the operation's own calls.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_RECORD, isAuditRecord, withoutAuditRecord } from "../support/call-meter.ts";
import { commandContent } from "../support/fixtures.ts";
import { call } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const STATUS_NODE = "i-0ccccccccccccccc3";
const calls: string[] = [];

beforeAll(async () => {
  const table = await freshTable();
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(isAuditRecord(args.input) ? AUDIT_RECORD : String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "counted", Content: commandContent() });
});

/** The action's own calls, and whether it ended with its audit record (a mutating request's, written apart). */
async function counted<T>(action: () => Promise<T>): Promise<{ result: T; commands: string[]; audited: boolean }> {
  await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
  calls.length = 0;
  const result = await action();
  return { result, ...withoutAuditRecord(calls) };
}

describe("DynamoDB calls per association operation", () => {
  it("the status operations", async () => {
    await call("UpdateInstanceInformation", { InstanceId: STATUS_NODE, PlatformType: "Linux" });
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: [STATUS_NODE] }],
    });
    const status = {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: STATUS_NODE,
      AssociationStatus: { Date: 1795600000, Name: "Success", Message: "ok" },
    };
    await call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: STATUS_NODE });
    // The node and the legacy pair (a copy of the head, with the node's target in the run) in one
    // batch (an AWS-owned document needs no read); the status, the run and the copy in one
    // transaction.
    expect((await counted(() => call("UpdateAssociationStatus", status))).commands).toEqual([
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
    ]);
    const report = {
      AssociationId: a.AssociationId,
      InstanceId: STATUS_NODE,
      ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
    };
    // The node, the head and the node's status at once, then (one read) the run with its target
    // (the same calls as test/call-counts/operations.test.ts lists for it).
    expect((await counted(() => call("UpdateInstanceAssociationStatus", report))).commands).toEqual([
      "GetItemCommand",
      "GetItemCommand",
      "BatchGetItemCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
      "QueryCommand",
      "PutItemCommand",
    ]);
    // An account's own document: its head joins the same batch.
    await call("CreateDocument", {
      Name: "counted-legacy",
      Content: JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": { properties: [] } } }),
    });
    const other = "i-0ccccccccccccccc4";
    await call("UpdateInstanceInformation", { InstanceId: other, PlatformType: "Linux" });
    await call("CreateAssociation", { Name: "counted-legacy", InstanceId: other });
    const ownStatus = { ...status, Name: "counted-legacy", InstanceId: other };
    expect((await counted(() => call("UpdateAssociationStatus", ownStatus))).commands).toEqual([
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
    ]);
    // On an account's own document, the compliance item names the version that ran: the run
    // recorded it, so it costs no read.
    const { AssociationDescription: own } = await call("CreateAssociation", {
      Name: "counted",
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
    });
    const ownReport = { ...report, AssociationId: own.AssociationId, InstanceId: NODE };
    expect((await counted(() => call("UpdateInstanceAssociationStatus", ownReport))).commands).toEqual([
      "GetItemCommand",
      "GetItemCommand",
      "BatchGetItemCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
      "QueryCommand",
      "PutItemCommand",
    ]);
    // Without a run (it waits for its cron interval), the version that ran is one document head read.
    const { AssociationDescription: waiting } = await call("CreateAssociation", {
      Name: "counted",
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
      ScheduleExpression: "cron(0 2 ? * SUN *)",
      ApplyOnlyAtCronInterval: true,
    });
    const waitingReport = { ...report, AssociationId: waiting.AssociationId, InstanceId: NODE };
    expect((await counted(() => call("UpdateInstanceAssociationStatus", waitingReport))).commands).toEqual([
      "GetItemCommand",
      "GetItemCommand",
      "BatchGetItemCommand",
      "GetItemCommand",
      "TransactWriteItemsCommand",
      "QueryCommand",
      "PutItemCommand",
    ]);
    // At once the index under the node's lookup keys (its id and `*`: it has no tags), its
    // statuses and the node; the candidate heads; its targets in their current runs (one read;
    // AWS documents: none to read). Both runs have had the node's report, so none is released (a
    // release is one transaction).
    expect((await counted(() => call("ListInstanceAssociations", { InstanceId: STATUS_NODE }))).commands).toEqual([
      "QueryCommand",
      "QueryCommand",
      "QueryCommand",
      "BatchGetItemCommand",
      "BatchGetItemCommand",
      "BatchGetItemCommand",
    ]);
    // The index under its two lookup keys with the node, the candidate heads (AWS documents: no read).
    expect(
      (await counted(() => call("DescribeEffectiveInstanceAssociations", { InstanceId: STATUS_NODE }))).commands,
    ).toEqual(["QueryCommand", "QueryCommand", "BatchGetItemCommand", "BatchGetItemCommand"]);
    expect(
      (await counted(() => call("DescribeInstanceAssociationsStatus", { InstanceId: STATUS_NODE }))).commands,
    ).toEqual(["QueryCommand", "BatchGetItemCommand"]);
  });

  it("CreateAssociation", async () => {
    const own = await counted(() =>
      call("CreateAssociation", { Name: "counted", Targets: [{ Key: "InstanceIds", Values: [NODE] }] }),
    );
    // The document's head and default version, and the named node: one batch; the transaction,
    // which also pushes the run (issue 28, shared/domain/executions/dispatch.ts `prepare`): the
    // first wave released, the run's command (head, payload, counts, invocations) from the
    // content the batch read, and the released targets' messages in their nodes' queues
    // (store/execution-items.ts `runPuts`; test/executions/pushed-runs.test.ts: a first wave too
    // big for one transaction).
    expect(own.commands).toEqual(["BatchGetItemCommand", "TransactWriteItemsCommand"]);
    // Then the request's audit record (a write, with account credentials).
    expect(own.audited).toBe(true);
    const aws = await counted(() => call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE }));
    expect(aws.commands).toEqual(["BatchGetItemCommand", "TransactWriteItemsCommand"]);
    const tags = await counted(() =>
      call("CreateAssociation", { Name: "AWS-GatherSoftwareInventory", Targets: [{ Key: "tag:a", Values: ["b"] }] }),
    );
    // Tag targets: the account's nodes are listed (one page here) to resolve the first run.
    expect(tags.commands).toEqual(["QueryCommand", "TransactWriteItemsCommand"]);
  });

  it("DescribeAssociation, UpdateAssociation, ListAssociations, DeleteAssociation", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "counted",
      Targets: [{ Key: "tag:a", Values: ["b"] }],
    });
    // The head, then its current run and the run's counter shards, whose sum is the rollup
    // (issue 26: nodes' reports never write the head), in one batch.
    const described = await counted(() => call("DescribeAssociation", { AssociationId: a.AssociationId }));
    expect(described.commands).toEqual(["GetItemCommand", "BatchGetItemCommand"]);
    // A read is not audited.
    expect(described.audited).toBe(false);
    expect(
      (await counted(() => call("DescribeAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE }))).commands,
    ).toEqual(["BatchGetItemCommand"]);
    expect(
      (
        await counted(() =>
          call("UpdateAssociation", { AssociationId: a.AssociationId, Targets: [{ Key: "tag:a", Values: ["c"] }] }),
        )
      ).commands,
      // The run it replaces (its dates stay on the head) is read with the document (one batch),
      // then the nodes the tag targets.
    ).toEqual(["GetItemCommand", "BatchGetItemCommand", "QueryCommand", "TransactWriteItemsCommand"]);
    // A page of heads, then their current runs and shards, all in one batch.
    expect((await counted(() => call("ListAssociations", { MaxResults: 50 }))).commands).toEqual([
      "QueryCommand",
      "BatchGetItemCommand",
    ]);
    // After its head, one query finds what the association owns (versions, runs; these runs had
    // no targets, so there is no target partition to read), and one transaction deletes it all.
    expect((await counted(() => call("DeleteAssociation", { AssociationId: a.AssociationId }))).commands).toEqual([
      "GetItemCommand",
      "QueryCommand",
      "TransactWriteItemsCommand",
    ]);
  });
});
