/**
 * A legacy association's pair item is a copy of its head (shared/store/legacy-copy.ts), with the
 * node's target in the current run on it (RunTarget), so UpdateAssociationStatus reads it alone,
 * in one batch with the document and the node. After every kind of change of the head (a create,
 * a status, an update with and without a new run, tags, a run started, the node told to run and
 * its reports, a delete) the audit (test/reliability/audit.ts) finds the copy equal to the head,
 * and the next UpdateAssociationStatus lands where it should.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../shared/runtime.ts";
import { keys } from "../../shared/store/keys.ts";
import { assertAuditClean } from "../reliability/audit.ts";
import { call, invoke } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
let node: ManagedNode;
let associationId: string;
const scope = { accountId: "000000000000", region: "us-east-1" };
const DOC = "copied-legacy";
let date = 1795600000;
let last = "";

beforeAll(async () => {
  table = await freshTable();
  node = await ManagedNode.register();
  await call("CreateDocument", {
    Name: DOC,
    Content: JSON.stringify({
      schemaVersion: "1.2",
      parameters: { words: { type: "String", default: "hello" } },
      runtimeConfig: {
        "aws:runShellScript": { properties: [{ id: "0.aws:runShellScript", runCommand: ["echo {{ words }}"] }] },
      },
    }),
  });
  const created = await call("CreateAssociation", { Name: DOC, InstanceId: node.id });
  associationId = created.AssociationDescription.AssociationId;
});

/** The head and its pair as stored. */
async function stored() {
  const items = await table.items();
  const find = (key: { PK: string; SK: string }) => items.find((item) => item.PK === key.PK && item.SK === key.SK);
  return {
    head: find(keys.association(scope, associationId)),
    pair: find(keys.legacyAssociation(scope, DOC, node.id)),
  };
}

/** The node's target in the association's current run, as DescribeAssociationExecutionTargets shows it. */
async function currentTarget() {
  const { AssociationExecutions } = await call("DescribeAssociationExecutions", { AssociationId: associationId });
  const { AssociationExecutionTargets } = await call("DescribeAssociationExecutionTargets", {
    AssociationId: associationId,
    ExecutionId: AssociationExecutions[0].ExecutionId,
  });
  return AssociationExecutionTargets[0];
}

/** A status change by UpdateAssociationStatus, then the copy checked. */
async function setStatus(name: string) {
  date += 1;
  last = name;
  const answer = await invoke("UpdateAssociationStatus", {
    Name: DOC,
    InstanceId: node.id,
    AssociationStatus: { Date: date, Name: name, Message: `set ${name}` },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  await assertAuditClean(table);
  return answer.body.AssociationDescription as { Status: { Name: string }; AssociationVersion: string };
}

describe("the legacy pair's copy of the head", () => {
  it("is the head, with the node's target in its first run, once created", async () => {
    await assertAuditClean(table);
    const { head, pair } = await stored();
    expect(pair).toMatchObject({ AssociationId: associationId, Revision: head?.Revision, Type: "LegacyAssociation" });
    expect(pair?.RunTarget).toMatchObject({ ResourceId: node.id, Status: "Pending", Released: false });
    // Never in the account's listing or the scheduler's index.
    expect(pair?.GSI1PK).toBeUndefined();
    expect(pair?.GSI2PK).toBeUndefined();
  });

  it("follows a status, which lands on the run's target", async () => {
    const answered = await setStatus("Failed");
    expect(answered.Status.Name).toBe("Failed");
    expect(await currentTarget()).toMatchObject({ ResourceId: node.id, Status: "Failed" });
    const { head, pair } = await stored();
    expect(pair?.Status).toEqual(head?.Status);
    expect(pair?.StatusCounts).toEqual({ Failed: 1, Pending: 0 });
  });

  it("follows an update without a new run, and one with a new run", async () => {
    await call("UpdateAssociation", { AssociationId: associationId, AssociationName: "renamed" });
    await assertAuditClean(table);
    expect((await setStatus("Success")).AssociationVersion).toBe("2");
    // New parameters: a new run, whose target the head records.
    await call("UpdateAssociation", { AssociationId: associationId, Parameters: { words: ["again"] } });
    await assertAuditClean(table);
    expect((await stored()).pair?.RunTarget).toMatchObject({ Status: "Pending", Released: false });
    await setStatus("Failed");
    expect(await currentTarget()).toMatchObject({ Status: "Failed" });
  });

  it("follows tags", async () => {
    await call("AddTagsToResource", {
      ResourceType: "Association",
      ResourceId: associationId,
      Tags: [{ Key: "team", Value: "ops" }],
    });
    await assertAuditClean(table);
    expect((await stored()).pair?.Tags).toEqual([{ Key: "team", Value: "ops" }]);
    await setStatus("Success");
  });

  it("follows a run started, the node told to run (a release, which the copy may lag) and its reports", async () => {
    await call("StartAssociationsOnce", { AssociationIds: [associationId] });
    await assertAuditClean(table);
    expect((await stored()).pair?.RunTarget).toMatchObject({ Status: "Pending", Released: false });
    // The agent's poll releases the run to the node: the target says Released, the copy not yet.
    expect(await node.due()).toEqual([associationId]);
    await assertAuditClean(table);
    expect((await stored()).pair?.RunTarget).toMatchObject({ Released: false });
    // The status still lands (the write's conditions see the copy lag; it reads the target and
    // writes again), and the copy catches up.
    await setStatus("Failed");
    expect(await currentTarget()).toMatchObject({ Status: "Failed" });
    expect((await stored()).pair?.RunTarget).toMatchObject({ Status: "Failed", Released: true });
    // The agent's own reports move the copy with the head.
    expect((await node.report(associationId, "InProgress", "Executing association")).status).toBe(200);
    await assertAuditClean(table);
    expect((await node.report(associationId, "Success", "done")).status).toBe(200);
    await assertAuditClean(table);
    const { pair } = await stored();
    expect(pair?.RunTarget).toMatchObject({ Status: "Success", Released: true });
    expect(pair?.Overview).toMatchObject({ DetailedStatus: "Success" });
    await setStatus("Pending");
  });

  it("follows a run started on the head's version (StartAssociationsOnce, called directly)", async () => {
    // A legacy association has no schedule (InstanceId excludes ScheduleExpression): besides a
    // create or an update, only StartAssociationsOnce starts its runs, through this path.
    const { executions, associations } = createRuntime(table.options);
    const head = await associations.association(scope, associationId);
    const before = (await stored()).pair;
    expect(await executions.start(scope, head as NonNullable<typeof head>, "StartAssociationsOnce")).toBeDefined();
    await assertAuditClean(table);
    const after = (await stored()).pair;
    expect(after?.CurrentExecutionId).not.toBe(before?.CurrentExecutionId);
    expect(after?.RunTarget).toMatchObject({ ExecutionId: after?.CurrentExecutionId, Status: "Pending" });
    expect(after?.StatusCounts).toEqual({ Pending: 1 });
    await setStatus("Failed");
    expect(await currentTarget()).toMatchObject({ Status: "Failed" });
  });

  it("is described by document and node, and deleted with the association", async () => {
    const { head } = await stored();
    const described = await call("DescribeAssociation", { Name: DOC, InstanceId: node.id });
    expect(described.AssociationDescription).toMatchObject({
      AssociationId: associationId,
      Status: { Name: last, Message: `set ${last}`, Date: date },
    });
    expect(head?.Status).toMatchObject({ Name: last, Message: `set ${last}` });
    await call("DeleteAssociation", { Name: DOC, InstanceId: node.id });
    await assertAuditClean(table);
    expect(await stored()).toEqual({ head: undefined, pair: undefined });
    const refused = await invoke("UpdateAssociationStatus", {
      Name: DOC,
      InstanceId: node.id,
      AssociationStatus: { Date: date, Name: "Failed", Message: "gone" },
    });
    expect(refused.body.__type).toBe("AssociationDoesNotExist");
  });
});
