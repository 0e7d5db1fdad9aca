/**
 * DynamoDB calls of the run operations and of a scheduler tick (docs/runs.md's table), counted on
 * the real client as test/associations/call-counts.test.ts does.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../shared/runtime.ts";
import { AUDIT_RECORD, isAuditRecord, withoutAuditRecord } from "../support/call-meter.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const calls: string[] = [];
let node: ManagedNode;
let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(isAuditRecord(args.input) ? AUDIT_RECORD : String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  node = await ManagedNode.register();
});

/** The action's own calls: a mutating request's audit record (one PutItem after the answer) is counted apart. */
async function counted<T>(action: () => Promise<T>): Promise<string[]> {
  await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
  calls.length = 0;
  await action();
  return withoutAuditRecord(calls).commands;
}

describe("DynamoDB calls per run operation", () => {
  it("StartAssociationsOnce, DescribeAssociationExecutions, DescribeAssociationExecutionTargets", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["true"] },
    });
    const id = a.AssociationId;
    // The head; then at once the named nodes and the AWS-owned document (no read); one
    // transaction, which also pushes the run (issue 28: its first wave released, its command from
    // the document the plan read, the messages; store/execution-items.ts runPuts).
    expect(await counted(() => call("StartAssociationsOnce", { AssociationIds: [id] }))).toEqual([
      "GetItemCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
    ]);
    // Two at once: their heads, then both runs' nodes in ONE batch, then both transactions; three
    // round trips whatever the number of ids.
    const { AssociationDescription: b } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["false"] },
    });
    // Each run pushed in its own transaction, as above.
    expect(await counted(() => call("StartAssociationsOnce", { AssociationIds: [id, b.AssociationId] }))).toEqual([
      "GetItemCommand",
      "GetItemCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
      "TransactWriteItemsCommand",
    ]);
    // A page of runs, then their counter shards (issue 26), in one batch.
    // The head (which run is current) with the runs, then their counter shards.
    expect(await counted(() => call("DescribeAssociationExecutions", { AssociationId: id }))).toEqual([
      "GetItemCommand",
      "QueryCommand",
      "BatchGetItemCommand",
    ]);
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;
    expect(
      await counted(() =>
        call("DescribeAssociationExecutionTargets", { AssociationId: id, ExecutionId: run.ExecutionId }),
      ),
      // The run, its shards and the head at once (one round trip), then its targets.
    ).toEqual(["GetItemCommand", "QueryCommand", "GetItemCommand", "QueryCommand"]);
    // A filter that matches nothing: the head read with the runs tells an empty history from a missing association.
    expect(
      await counted(() =>
        call("DescribeAssociationExecutions", {
          AssociationId: id,
          Filters: [{ Key: "Status", Value: "Success", Type: "EQUAL" }],
        }),
      ),
      // (A Status filter is decided on the summed run.)
    ).toEqual(["GetItemCommand", "QueryCommand", "BatchGetItemCommand"]);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("a scheduler tick: interrupted deletes, one query per index shard (associations', then commands' deadlines), then per due association its plan and one transaction", async () => {
    const clock = { now: new Date() };
    const { scheduler } = createRuntime({ ...table.options, clock: () => clock.now });
    // One query for association deletes a crash interrupted (their tombstones), then the shards
    // of Run Command's deadlines and of the schedule.
    expect(await counted(() => scheduler.tick())).toEqual(Array(9).fill("QueryCommand"));
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["true"] },
      ScheduleExpression: "rate(30 minutes)",
    });
    clock.now = new Date(Date.now() + 31 * 60_000);
    expect(await counted(() => scheduler.tick())).toEqual([
      ...Array(9).fill("QueryCommand"),
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
    ]);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });
});
