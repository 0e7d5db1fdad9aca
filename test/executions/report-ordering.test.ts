/**
 * Issue 26: the design does not depend on timing. A hook on the service's DynamoDB client holds
 * one report's transaction after its reads, until another report has been read, written and
 * answered, so the held one writes on reads that are stale: exactly the interleaving that, on
 * real DynamoDB, is a transaction conflict or a lost race. Two nodes' reports on one run then
 * both land at their first transaction (neither reads or conditions on anything the other
 * writes), and the counts are exact. A node's own two reports racing each other do conflict (the
 * control: the hook really provokes it), and the service settles that itself: the held report's
 * transaction fails its condition and is retried on fresh reads, and the agent gets 200.
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertAuditClean } from "../reliability/audit.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
let a: ManagedNode;
let b: ManagedNode;

beforeAll(async () => {
  table = await freshTable();
  const fleet = await ManagedNode.registerFleet(2, [{ Key: "order", Value: "hook" }]);
  a = fleet[0] as ManagedNode;
  b = fleet[1] as ManagedNode;
});

afterEach(() => {
  table.db.middlewareStack.remove("holdReport");
});

/**
 * Holds the first transaction that writes `node`'s status item until `release` is called, and
 * counts every transaction that writes it; with `alone`, the first single put of its status
 * (a report that moves no count: association-target-store.ts `reportUnmoving`) instead.
 */
function holdReportOf(node: ManagedNode, alone = false) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const reached = new Promise<void>((resolve) => {
    held = resolve;
  });
  const hook = { transactions: 0, release, reached };
  let first = true;
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as TransactWriteCommandInput;
      const put = (args.input as { Item?: Record<string, unknown> }).Item;
      const writesNode = alone
        ? context.commandName === "PutItemCommand" &&
          put?.Type === "AssociationTarget" &&
          put.SK === `TARGET#${node.id}`
        : context.commandName === "TransactWriteItemsCommand" &&
          (input.TransactItems ?? []).some((item) => String(item.Put?.Item?.SK ?? "") === `TARGET#${node.id}`);
      if (writesNode) {
        hook.transactions++;
        if (first) {
          first = false;
          held();
          await gate;
        }
      }
      return next(args);
    },
    { step: "initialize", name: "holdReport" },
  );
  return hook;
}

const report = (node: ManagedNode, id: string, status: string) =>
  node.report(id, status, status === "Success" ? "1 out of 1 plugin processed, 1 success" : "Executing association");

describe("two reports on one run, the first held by a hook until the second is answered (issue 26)", () => {
  it("two nodes: both land at their first transaction, none refused, counts exact", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:order", Values: ["hook"] }],
    });
    const id = AssociationDescription.AssociationId as string;
    expect(await a.due()).toEqual([id]);
    expect(await b.due()).toEqual([id]);
    const hook = holdReportOf(a);
    const first = report(a, id, "InProgress");
    await hook.reached;
    // b reads, writes and is answered while a's transaction waits on reads made before it.
    expect((await report(b, id, "InProgress")).status).toBe(200);
    expect((await report(b, id, "Success")).status).toBe(200);
    hook.release();
    expect((await first).status).toBe(200);
    expect(hook.transactions).toBe(1);
    expect((await report(a, id, "Success")).status).toBe(200);
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;
    expect(run).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=2}" });
    await assertAuditClean(table);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("the control: one node's two reports racing each other conflict, and the service retries the loser (200, on its second transaction)", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [a.id] }],
    });
    const id = AssociationDescription.AssociationId as string;
    expect(await a.due()).toEqual([id]);
    const hook = holdReportOf(a);
    const first = report(a, id, "InProgress");
    await hook.reached;
    expect((await report(a, id, "Success")).status).toBe(200);
    hook.release();
    // The held InProgress was read before the Success landed: its write fails its condition, and
    // the service reads again and lands it (the agent's own order is its business: last wins).
    expect((await first).status).toBe(200);
    expect(hook.transactions).toBe(3);
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;
    expect(run.ResourceCountByStatus).toBe("{InProgress=1}");
    await assertAuditClean(table);
    await call("DeleteAssociation", { AssociationId: id });
  });
});

describe("a report held after its reads while something else changes its items (issue 30: reports written without a transaction, or without the association's check)", () => {
  it("a report that moves no count (the agent's second InProgress) held while the node's final report lands: its put fails its condition and is retried on fresh reads (200, last wins as above)", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [a.id] }],
    });
    const id = AssociationDescription.AssociationId as string;
    expect(await a.due()).toEqual([id]);
    expect((await report(a, id, "InProgress")).status).toBe(200);
    const hook = holdReportOf(a, true);
    const second = a.report(id, "InProgress", "1 out of 1 plugin processed, 1 success");
    await hook.reached;
    expect((await report(a, id, "Success")).status).toBe(200);
    hook.release();
    expect((await second).status).toBe(200);
    // The held put lost (the node's status was no longer as read), and its retry moved the count.
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;
    expect(run.ResourceCountByStatus).toBe("{InProgress=1}");
    const [target] = (
      await call("DescribeAssociationExecutionTargets", { AssociationId: id, ExecutionId: run.ExecutionId })
    ).AssociationExecutionTargets;
    expect(target.Status).toBe("InProgress");
    const statuses = (await call("DescribeInstanceAssociationsStatus", { InstanceId: a.id }))
      .InstanceAssociationStatusInfos as { AssociationId: string; Status: string }[];
    expect(statuses.find((s) => s.AssociationId === id)?.Status).toBe("InProgress");
    await assertAuditClean(table);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("a node's first report held while the association is deleted writes nothing (its run's target is gone: no check of the association is needed) and is answered AssociationDoesNotExist", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [a.id] }],
    });
    const id = AssociationDescription.AssociationId as string;
    expect(await a.due()).toEqual([id]);
    // The node's first report on the association: no status of it to condition on, only its run's target.
    const hook = holdReportOf(a);
    const moving = a.report(id, "Pending", "Association is pending");
    await hook.reached;
    expect((await call("DeleteAssociation", { AssociationId: id })).AssociationId ?? "deleted").toBeDefined();
    hook.release();
    const answer = await moving;
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toContain("AssociationDoesNotExist");
    // Nothing of the association outlives it: no status of the node, no run target, no shard (its
    // pushed run's command items are the delete's to leave: they expire with their TTL).
    const left = (await table.items()).filter(
      (item) => JSON.stringify(item).includes(id) && !String(item.PK).startsWith("CMD#"),
    );
    expect(left.map((item) => `${item.Type} ${item.PK} ${item.SK}`)).toEqual([]);
  });
});
