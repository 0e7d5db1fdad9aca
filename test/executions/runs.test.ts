/**
 * Runs of associations through the real handlers on DynamoDB Local: a run per create, per update
 * that changes what runs, and per StartAssociationsOnce; the agent's exact report sequence landing
 * on the run; the two Describe operations with their filters, paging and errors; and the node
 * summary of DescribeInstanceInformation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails, invoke } from "../support/invoke.ts";
import { AGENT_FAILED_SUMMARY, AGENT_SUMMARY, ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

let node: ManagedNode;

beforeAll(async () => {
  await freshTable();
  node = await ManagedNode.register([{ Key: "team", Value: "runs" }]);
});

const executionsOf = async (associationId: string, extra: Record<string, unknown> = {}) =>
  (await call("DescribeAssociationExecutions", { AssociationId: associationId, ...extra })).AssociationExecutions;
const targetsOf = async (associationId: string, executionId: string, extra: Record<string, unknown> = {}) =>
  (
    await call("DescribeAssociationExecutionTargets", {
      AssociationId: associationId,
      ExecutionId: executionId,
      ...extra,
    })
  ).AssociationExecutionTargets;

describe("a new association on one node", () => {
  it("answers Creating, then reads Pending/Associated with {Pending: 1} until the node reports (AWS's describe-association output)", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
    });
    expect(created.Overview).toEqual({ Status: "Pending", DetailedStatus: "Creating" });
    const { AssociationDescription: described } = await call("DescribeAssociation", {
      AssociationId: created.AssociationId,
    });
    expect(described.Overview).toEqual({
      Status: "Pending",
      DetailedStatus: "Associated",
      AssociationStatusAggregatedCount: { Pending: 1 },
    });
    const [run] = await executionsOf(created.AssociationId);
    expect(run).toMatchObject({
      AssociationId: created.AssociationId,
      AssociationVersion: "1",
      Status: "Pending",
      DetailedStatus: "Pending",
      ResourceCountByStatus: "{Pending=1}",
    });
    expect(run.ExecutionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The run is pushed as a command whose Comment is `<association id>:<execution id>`
    // (list-commands.rst example 3); each target's OutputSource names it
    // (describe-association-execution-targets.rst).
    const { Commands } = (await call("ListCommands", {})) as { Commands: { CommandId: string; Comment: string }[] };
    const command = Commands.find((c) => c.Comment === `${created.AssociationId}:${run.ExecutionId}`);
    expect(command).toBeDefined();
    expect(await targetsOf(created.AssociationId, run.ExecutionId)).toEqual([
      {
        AssociationId: created.AssociationId,
        AssociationVersion: "1",
        ExecutionId: run.ExecutionId,
        ResourceId: node.id,
        ResourceType: "ManagedInstance",
        Status: "Pending",
        DetailedStatus: "Pending",
        OutputSource: { OutputSourceId: command?.CommandId, OutputSourceType: "RunCommand" },
      },
    ]);
    await call("DeleteAssociation", { AssociationId: created.AssociationId });
  });
});

describe("UpdateInstanceAssociationStatus, the agent's report sequence (issue 14, bug 1), and StartAssociationsOnce", () => {
  it("Pending -> InProgress -> InProgress (summary) -> Success: every report is 200 and lands on the run", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:team", Values: ["runs"] }],
      Parameters: { commands: ["true"] },
    });
    expect(await node.due()).toEqual([a.AssociationId]);
    const at = new Date("2026-11-20T10:00:00.000Z");
    expect(await node.run(a.AssociationId, "Success", at)).toEqual([200, 200, 200, 200]);

    const [status] = (await call("DescribeInstanceAssociationsStatus", { InstanceId: node.id }))
      .InstanceAssociationStatusInfos;
    // AWS's describe-instance-associations-status output: the version that ran, "1", not $DEFAULT.
    expect(status).toMatchObject({
      AssociationId: a.AssociationId,
      Name: "AWS-RunShellScript",
      DocumentVersion: "1",
      AssociationVersion: "1",
      Status: "Success",
      DetailedStatus: "Success",
      ExecutionSummary: AGENT_SUMMARY,
      ExecutionDate: at.getTime() / 1000,
    });
    const [run] = await executionsOf(a.AssociationId);
    expect(run).toMatchObject({ Status: "Success", DetailedStatus: "Success", ResourceCountByStatus: "{Success=1}" });
    expect(run.LastExecutionDate).toBe(at.getTime() / 1000);
    expect((await targetsOf(a.AssociationId, run.ExecutionId))[0]).toMatchObject({
      Status: "Success",
      DetailedStatus: "Success",
      LastExecutionDate: at.getTime() / 1000,
    });
    const { AssociationDescription: d } = await call("DescribeAssociation", { AssociationId: a.AssociationId });
    expect(d.Overview).toEqual({
      Status: "Success",
      DetailedStatus: "Success",
      AssociationStatusAggregatedCount: { Success: 1 },
    });
    expect(await node.due()).toEqual([]);

    // StartAssociationsOnce: a new run, which the agent sees as due on its next poll.
    expect(await call("StartAssociationsOnce", { AssociationIds: [a.AssociationId] })).toEqual({});
    expect(await node.due()).toEqual([a.AssociationId]);
    const runs = await executionsOf(a.AssociationId);
    expect(runs.map((r: { Status: string }) => r.Status)).toEqual(["Pending", "Success"]);
    expect(runs[0].CreatedTime).toBeGreaterThanOrEqual(runs[1].CreatedTime);
    expect(await node.run(a.AssociationId, "Failed")).toEqual([200, 200, 200, 200]);
    expect(
      (await call("DescribeInstanceAssociationsStatus", { InstanceId: node.id })).InstanceAssociationStatusInfos.find(
        (s: { AssociationId: string }) => s.AssociationId === a.AssociationId,
      ),
    ).toMatchObject({ Status: "Failed", ErrorCode: "ExecutionError", ExecutionSummary: AGENT_FAILED_SUMMARY });
    expect((await executionsOf(a.AssociationId))[0]).toMatchObject({
      Status: "Failed",
      ResourceCountByStatus: "{Failed=1}",
    });
    expect(
      (await call("DescribeAssociation", { AssociationId: a.AssociationId })).AssociationDescription.Overview,
    ).toEqual({ Status: "Failed", DetailedStatus: "Failed", AssociationStatusAggregatedCount: { Failed: 1 } });

    // DescribeInstanceInformation sums up the node's associations, and filters on it.
    const info = (await call("DescribeInstanceInformation", { Filters: [{ Key: "InstanceIds", Values: [node.id] }] }))
      .InstanceInformationList[0];
    expect(info).toMatchObject({
      AssociationStatus: "Failed",
      LastSuccessfulAssociationExecutionDate: at.getTime() / 1000,
      AssociationOverview: { DetailedStatus: "Failed", InstanceAssociationStatusAggregatedCount: { Failed: 1 } },
    });
    expect(info.LastAssociationExecutionDate).toBeGreaterThan(at.getTime() / 1000);
    const byStatus = async (value: string) =>
      (
        await call("DescribeInstanceInformation", { Filters: [{ Key: "AssociationStatus", Values: [value] }] })
      ).InstanceInformationList.map((i: { InstanceId: string }) => i.InstanceId);
    expect(await byStatus("Failed")).toEqual([node.id]);
    expect(await byStatus("Success")).toEqual([]);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });

  it("the same status twice moves no count and is not refused", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["true"] },
    });
    await node.due();
    for (const summary of ["Executing association", AGENT_SUMMARY, AGENT_SUMMARY]) {
      expect((await node.report(a.AssociationId, "InProgress", summary)).status).toBe(200);
    }
    const [status] = (
      await call("DescribeInstanceAssociationsStatus", { InstanceId: node.id })
    ).InstanceAssociationStatusInfos.filter((s: { AssociationId: string }) => s.AssociationId === a.AssociationId);
    expect(status).toMatchObject({ Status: "InProgress", ExecutionSummary: AGENT_SUMMARY });
    expect(
      (await call("DescribeAssociation", { AssociationId: a.AssociationId })).AssociationDescription.Overview,
    ).toEqual({ Status: "Pending", DetailedStatus: "InProgress", AssociationStatusAggregatedCount: { InProgress: 1 } });
    expect((await executionsOf(a.AssociationId))[0]).toMatchObject({
      Status: "InProgress",
      ResourceCountByStatus: "{InProgress=1}",
    });
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });
});

describe("when a run starts", () => {
  it("not at creation with ApplyOnlyAtCronInterval; after every update without it, a name-only one included (issue 29, defect 6)", async () => {
    // UpdateAssociation's API reference: "When you update an association, the association
    // immediately runs against the specified targets. You can add the ApplyOnlyAtCronInterval
    // parameter to run the association during the next schedule run."
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["true"] },
      ScheduleExpression: "cron(0 2 ? * SUN *)",
      ApplyOnlyAtCronInterval: true,
    });
    expect(await executionsOf(a.AssociationId)).toEqual([]);
    // Not told to run, and not listed: the agent would run at once an association it never ran.
    expect((await node.associations()).map((x: { AssociationId: string }) => x.AssociationId)).not.toContain(
      a.AssociationId,
    );
    const update = (extra: Record<string, unknown>) =>
      call("UpdateAssociation", {
        AssociationId: a.AssociationId,
        Targets: [{ Key: "InstanceIds", Values: [node.id] }],
        Parameters: { commands: ["true"] },
        ScheduleExpression: "cron(0 2 ? * SUN *)",
        ...extra,
      });
    // Still ApplyOnlyAtCronInterval: the next schedule run, not now.
    await update({ AssociationName: "renamed", ApplyOnlyAtCronInterval: true });
    expect(await executionsOf(a.AssociationId)).toEqual([]);
    // Without it (an update clears what it leaves out), a name-only change runs at once.
    await update({ AssociationName: "renamed-again" });
    expect(
      (await executionsOf(a.AssociationId)).map((r: { AssociationVersion: string }) => r.AssociationVersion),
    ).toEqual(["3"]);
    expect(await node.due()).toEqual([a.AssociationId]);
    await update({ Parameters: { commands: ["echo changed"] } });
    expect(
      (await executionsOf(a.AssociationId)).map((r: { AssociationVersion: string }) => r.AssociationVersion),
    ).toEqual(["4", "3"]);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });

  it("a legacy association's UpdateAssociationStatus lands on its run", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: node.id,
    });
    await call("UpdateAssociationStatus", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: node.id,
      AssociationStatus: { Date: 1795600000, Name: "Success", Message: "ok" },
    });
    const [run] = await executionsOf(a.AssociationId);
    expect(run).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
    expect(
      (await call("DescribeAssociation", { AssociationId: a.AssociationId })).AssociationDescription.Overview,
    ).toMatchObject({ Status: "Success", AssociationStatusAggregatedCount: { Success: 1 } });
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });
});

describe("DescribeAssociationExecutions and DescribeAssociationExecutionTargets", () => {
  it("newest first, CreatedTime/Status/ExecutionId filters, paging, and AWS's errors", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      Parameters: { commands: ["true"] },
    });
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await call("StartAssociationsOnce", { AssociationIds: [a.AssociationId, a.AssociationId] });
    }
    const all = await executionsOf(a.AssociationId);
    expect(all).toHaveLength(5);
    const times = all.map((r: { CreatedTime: number }) => r.CreatedTime);
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const page1 = await call("DescribeAssociationExecutions", { AssociationId: a.AssociationId, MaxResults: 2 });
    const page2 = await call("DescribeAssociationExecutions", {
      AssociationId: a.AssociationId,
      MaxResults: 2,
      NextToken: page1.NextToken,
    });
    const page3 = await call("DescribeAssociationExecutions", {
      AssociationId: a.AssociationId,
      MaxResults: 2,
      NextToken: page2.NextToken,
    });
    expect(page3.NextToken).toBeUndefined();
    expect(
      [...page1.AssociationExecutions, ...page2.AssociationExecutions, ...page3.AssociationExecutions].map(
        (r: { ExecutionId: string }) => r.ExecutionId,
      ),
    ).toEqual(all.map((r: { ExecutionId: string }) => r.ExecutionId));

    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    const filtered = async (Key: string, Value: string, Type: string) =>
      (await executionsOf(a.AssociationId, { Filters: [{ Key, Value, Type }] })).map(
        (r: { ExecutionId: string }) => r.ExecutionId,
      );
    const ids = all.map((r: { ExecutionId: string }) => r.ExecutionId);
    expect(await filtered("CreatedTime", iso(all[2].CreatedTime), "GREATER_THAN")).toEqual(ids.slice(0, 2));
    expect(await filtered("CreatedTime", iso(all[2].CreatedTime), "LESS_THAN")).toEqual(ids.slice(3));
    expect(await filtered("CreatedTime", iso(all[2].CreatedTime), "EQUAL")).toEqual([ids[2]]);
    expect(await filtered("ExecutionId", ids[3], "EQUAL")).toEqual([ids[3]]);
    expect(await filtered("Status", "Pending", "EQUAL")).toEqual(ids);
    expect(await filtered("Status", "Success", "EQUAL")).toEqual([]);

    const unknown = "6d7c8f5e-1111-4222-8333-444455556666";
    expect((await fails("DescribeAssociationExecutions", { AssociationId: unknown })).type).toBe(
      "AssociationDoesNotExist",
    );
    expect(
      (await fails("DescribeAssociationExecutions", { AssociationId: a.AssociationId, NextToken: "garbage" })).type,
    ).toBe("InvalidNextToken");
    expect(
      (await fails("DescribeAssociationExecutionTargets", { AssociationId: a.AssociationId, ExecutionId: unknown }))
        .type,
    ).toBe("AssociationExecutionDoesNotExist");
    expect(
      (await fails("DescribeAssociationExecutionTargets", { AssociationId: unknown, ExecutionId: unknown })).type,
    ).toBe("AssociationDoesNotExist");
    expect((await fails("StartAssociationsOnce", { AssociationIds: [a.AssociationId, unknown] })).type).toBe(
      "AssociationDoesNotExist",
    );
    // A refused StartAssociationsOnce starts nothing, not even for the ids that exist.
    expect(await executionsOf(a.AssociationId)).toHaveLength(5);
    expect((await invoke("StartAssociationsOnce", { AssociationIds: [] })).status).toBe(400);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });

  it("targets: Status, ResourceId and ResourceType filters, pages in node order", async () => {
    const others = await Promise.all([1, 2, 3].map(() => ManagedNode.register([{ Key: "fleet", Value: "f" }])));
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fleet", Values: ["f"] }],
      Parameters: { commands: ["true"] },
    });
    await others[0]?.due();
    await others[0]?.run(a.AssociationId, "Success");
    const [run] = await executionsOf(a.AssociationId);
    expect(run.ResourceCountByStatus).toBe("{Pending=2,Success=1}");
    const ids = others.map((n) => n.id).sort();
    const page1 = await call("DescribeAssociationExecutionTargets", {
      AssociationId: a.AssociationId,
      ExecutionId: run.ExecutionId,
      MaxResults: 2,
    });
    const page2 = await call("DescribeAssociationExecutionTargets", {
      AssociationId: a.AssociationId,
      ExecutionId: run.ExecutionId,
      MaxResults: 2,
      NextToken: page1.NextToken,
    });
    expect(
      [...page1.AssociationExecutionTargets, ...page2.AssociationExecutionTargets].map(
        (t: { ResourceId: string }) => t.ResourceId,
      ),
    ).toEqual(ids);
    expect(page2.NextToken).toBeUndefined();
    const only = async (filters: { Key: string; Value: string }[]) =>
      (await targetsOf(a.AssociationId, run.ExecutionId, { Filters: filters })).map(
        (t: { ResourceId: string }) => t.ResourceId,
      );
    expect(await only([{ Key: "Status", Value: "Success" }])).toEqual([others[0]?.id]);
    expect(await only([{ Key: "Status", Value: "Pending" }])).toEqual(ids.filter((id) => id !== others[0]?.id));
    expect(await only([{ Key: "ResourceId", Value: others[1]?.id as string }])).toEqual([others[1]?.id]);
    expect(await only([{ Key: "ResourceType", Value: "ManagedInstance" }])).toEqual(ids);
    expect(
      await only([
        { Key: "Status", Value: "Success" },
        { Key: "ResourceId", Value: others[1]?.id as string },
      ]),
    ).toEqual([]);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });
});
