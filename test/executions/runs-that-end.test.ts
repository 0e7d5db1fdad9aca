/**
 * Runs that end (issue 28; docs/runs.md "How a run ends"), through the real handlers on a fake
 * clock, with the agent's reports replayed (test/support/managed-node.ts) and, for pushed runs,
 * its message-channel calls (test/support/run-command-agent.ts):
 *
 * - a run its nodes poll for, replaced by a newer one: its unfinished targets read Skipped and the
 *   run has ended (the agent reports per association, UpdateInstanceAssociationStatus carries no
 *   execution id: its next report lands on the newer run);
 * - a target told to run whose node then says nothing for two hours (the agent's own bound for an
 *   association stuck InProgress: documentLevelTimeOutDurationHour = 2,
 *   agent/association/processor/processor.go isAssociationTimedOut) is settled TimedOut by the
 *   reads that show the run; the first final status wins (a late report leaves it; a settlement
 *   that lost to a report writes nothing);
 * - a pushed target follows its command's invocation: never delivered, DeliveryTimedOut at the
 *   scheduler's tick past the delivery timeout, and the target Failed.
 * Counts stay exact: the audit (test/reliability/audit.ts) is clean after each.
 */
import { describe, expect, it } from "vitest";
import { PUSHED_RUN_DELIVERY_SECONDS } from "../../shared/domain/executions/dispatch.ts";
import { QUIET_AFTER_MS } from "../../shared/domain/executions/executions.ts";
import { DynamoExecutionStore } from "../../shared/store/execution-store.ts";
import { assertAuditClean } from "../reliability/audit.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

const SCOPE = { accountId: "000000000000", region: "us-east-1" };
const clock = { now: new Date("2027-06-01T08:00:00Z") };
const later = (ms: number) => {
  clock.now = new Date(clock.now.getTime() + ms);
};
const server = useLocalEndpoint({ clock: () => clock.now });

type Run = { ExecutionId: string; Status: string; ResourceCountByStatus: string };
const runsOf = async (AssociationId: string): Promise<Run[]> =>
  (await call("DescribeAssociationExecutions", { AssociationId })).AssociationExecutions;
const targetsOf = async (AssociationId: string, ExecutionId: string) =>
  Object.fromEntries(
    (
      (await call("DescribeAssociationExecutionTargets", { AssociationId, ExecutionId }))
        .AssociationExecutionTargets as { ResourceId: string; Status: string; DetailedStatus: string }[]
    ).map((target) => [target.ResourceId, `${target.Status}/${target.DetailedStatus}`]),
  );

/**
 * A run its nodes report as an association (UpdateInstanceAssociationStatus, naming no run):
 * AWS-GatherSoftwareInventory's aws:softwareInventory step refuses to run as a command ("can
 * only be invoked via ssm-associate", agent/plugins/inventory/inventory.go), so its run is pushed
 * as AWS-RefreshAssociation; these nodes never poll the channel, so their association poll takes
 * it over. `n` nodes of a tag, `MaxConcurrency` as given.
 */
async function polledRun(tag: string, n: number, maxConcurrency: string) {
  const fleet = (await ManagedNode.registerFleet(n, [{ Key: "fleet", Value: tag }])).map((node) => node.via(server));
  const { AssociationDescription: a } = await call("CreateAssociation", {
    Name: "AWS-GatherSoftwareInventory",
    Targets: [{ Key: "tag:fleet", Values: [tag] }],
    MaxConcurrency: maxConcurrency,
  });
  const id = a.AssociationId as string;
  const [run] = await runsOf(id);
  return { fleet, id, runId: (run as Run).ExecutionId };
}

describe("a polled run replaced by a newer one", () => {
  it("its unfinished targets read Skipped and the run has ended; its node's next report lands on the newer run", async () => {
    const { fleet, id, runId } = await polledRun("replaced", 3, "1");
    // One at a time: the first node is told to run and starts; the other two wait their turn.
    const told = await Promise.all(fleet.map((node) => node.due()));
    const running = fleet[told.findIndex((ids) => ids.includes(id))] as ManagedNode;
    expect(told.flat()).toEqual([id]);
    expect((await running.report(id, "InProgress", "Executing association", "", clock.now)).status).toBe(200);
    expect(await runsOf(id)).toEqual([expect.objectContaining({ Status: "InProgress" })]);

    later(60_000);
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    const [newer, older] = await runsOf(id);
    expect(older).toMatchObject({ ExecutionId: runId, Status: "Skipped", ResourceCountByStatus: "{Skipped=3}" });
    expect(newer).toMatchObject({ Status: "Pending", ResourceCountByStatus: "{Pending=3}" });
    expect(Object.values(await targetsOf(id, runId))).toEqual([
      "Skipped/Skipped",
      "Skipped/Skipped",
      "Skipped/Skipped",
    ]);
    // Its Status filter sees it ended too.
    const skipped = await call("DescribeAssociationExecutions", {
      AssociationId: id,
      Filters: [{ Key: "Status", Value: "Skipped", Type: "EQUAL" }],
    });
    expect(skipped.AssociationExecutions.map((run: Run) => run.ExecutionId)).toEqual([runId]);

    // The running node finishes: the agent's report names no run, and lands on the current one.
    expect((await running.report(id, "Success", "1 out of 1 plugin processed", "", clock.now)).status).toBe(200);
    expect((await targetsOf(id, (newer as Run).ExecutionId))[running.id]).toBe("Success/Success");
    expect((await runsOf(id))[1]).toMatchObject({ ExecutionId: runId, ResourceCountByStatus: "{Skipped=3}" });
    await assertAuditClean(server.table);
  });
});

describe("a target whose node goes quiet", () => {
  it("two hours after the node last said anything, the reads that show the run settle it TimedOut; a late report leaves it", async () => {
    const { fleet, id, runId } = await polledRun("quiet", 2, "2");
    const [done, gone] = fleet as [ManagedNode, ManagedNode];
    expect(await done.due()).toEqual([id]);
    expect(await gone.due()).toEqual([id]);
    expect(await done.run(id, "Success", clock.now)).toEqual([200, 200, 200, 200]);
    expect((await gone.report(id, "InProgress", "Executing association", "", clock.now)).status).toBe(200);

    // Up to two hours of silence is a run still going.
    later(QUIET_AFTER_MS);
    expect(await runsOf(id)).toEqual([expect.objectContaining({ Status: "InProgress" })]);
    expect((await targetsOf(id, runId))[gone.id]).toBe("InProgress/InProgress");

    later(1000);
    expect(await runsOf(id)).toEqual([
      expect.objectContaining({ Status: "Failed", ResourceCountByStatus: "{Success=1,TimedOut=1}" }),
    ]);
    expect(await targetsOf(id, runId)).toEqual({ [done.id]: "Success/Success", [gone.id]: "TimedOut/TimedOut" });
    const { AssociationDescription: described } = await call("DescribeAssociation", { AssociationId: id });
    expect(described.Overview.AssociationStatusAggregatedCount).toEqual({ Success: 1, TimedOut: 1 });
    await assertAuditClean(server.table);

    // The node comes back and reports: the first final status wins on the run; the node's own
    // status says what it reported.
    expect((await gone.report(id, "Success", "1 out of 1 plugin processed", "", clock.now)).status).toBe(200);
    expect((await targetsOf(id, runId))[gone.id]).toBe("TimedOut/TimedOut");
    expect(await runsOf(id)).toEqual([expect.objectContaining({ ResourceCountByStatus: "{Success=1,TimedOut=1}" })]);
    const { InstanceAssociationStatusInfos: infos } = await call("DescribeInstanceAssociationsStatus", {
      InstanceId: gone.id,
    });
    expect(infos).toEqual([expect.objectContaining({ AssociationId: id, Status: "Success" })]);
    await assertAuditClean(server.table);
  });

  it("a settlement that lost to the node's report writes nothing", async () => {
    const { fleet, id, runId } = await polledRun("race", 1, "1");
    const [node] = fleet as [ManagedNode];
    expect(await node.due()).toEqual([id]);
    const store = new DynamoExecutionStore(server.table.db, server.table.name);
    // The target as a read saw it, then the node's final report lands before the settlement's write.
    const [asRead] = (await store.listTargets(SCOPE, runId, undefined, 10)).items;
    expect(asRead).toMatchObject({ Released: true, Status: "Pending" });
    later(QUIET_AFTER_MS + 1000);
    expect(await node.run(id, "Success", clock.now)).toEqual([200, 200, 200, 200]);
    expect(await store.settle(SCOPE, asRead as NonNullable<typeof asRead>, "TimedOut", clock.now)).toBe(false);
    expect(await targetsOf(id, runId)).toEqual({ [node.id]: "Success/Success" });
    expect(await runsOf(id)).toEqual([
      expect.objectContaining({ Status: "Success", ResourceCountByStatus: "{Success=1}" }),
    ]);
    await assertAuditClean(server.table);
  });
});

describe("who settles a quiet run", () => {
  it("the scheduler's next run of the association, before it replaces the quiet run", async () => {
    const fleet = (await ManagedNode.registerFleet(1, [{ Key: "fleet", Value: "ticked" }])).map((node) =>
      node.via(server),
    );
    const [node] = fleet as [ManagedNode];
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "tag:fleet", Values: ["ticked"] }],
      ScheduleExpression: "rate(3 hours)",
    });
    const id = a.AssociationId as string;
    const [{ ExecutionId: quietRun }] = (await runsOf(id)) as [Run];
    expect(await node.due()).toEqual([id]);
    expect((await node.report(id, "InProgress", "Executing association", "", clock.now)).status).toBe(200);
    later(3 * 3600 * 1000);
    expect((await server.table.services.scheduler.tick()).started).toBeGreaterThanOrEqual(1);
    // Replaced now, so no read settles it any more (its views end it Skipped): the tick did, while
    // it was still current.
    const [, older] = await runsOf(id);
    expect(older).toMatchObject({ ExecutionId: quietRun, Status: "Failed", ResourceCountByStatus: "{TimedOut=1}" });
    expect(await targetsOf(id, quietRun)).toEqual({ [node.id]: "TimedOut/TimedOut" });
    await assertAuditClean(server.table);
  });

  it("a pushed run's target the poll path took over, its run replaced: settled Skipped two hours on", async () => {
    // Its agent never polls the channel: its association poll takes the pushed run over.
    const node = (await ManagedNode.register([{ Key: "fleet", Value: "taken-over" }])).via(server);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo taken over"] },
      Targets: [{ Key: "tag:fleet", Values: ["taken-over"] }],
    });
    const id = a.AssociationId as string;
    const [{ ExecutionId: first }] = (await runsOf(id)) as [Run];
    expect(await node.due()).toEqual([id]);
    expect((await node.report(id, "InProgress", "Executing association", "", clock.now)).status).toBe(200);
    later(60_000);
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    // Pushed: not ended by being replaced (its command's results would still land on it).
    expect((await runsOf(id))[1]).toMatchObject({ ExecutionId: first, Status: "InProgress" });
    later(QUIET_AFTER_MS);
    expect((await runsOf(id))[1]).toMatchObject({
      ExecutionId: first,
      Status: "Skipped",
      ResourceCountByStatus: "{Skipped=1}",
    });
    expect(await targetsOf(id, first)).toEqual({ [node.id]: "Skipped/Skipped" });
    await assertAuditClean(server.table);
  });
});

describe("a legacy (InstanceId) association's quiet run", () => {
  it("is left as its node last reported: its head keeps that node's target and rollup, which only the node's reports write", async () => {
    const node = (await ManagedNode.register()).via(server);
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      InstanceId: node.id,
      Parameters: { commands: ["true"] },
    });
    const { AssociationDescription: a } = await call("DescribeAssociation", {
      Name: "AWS-RunShellScript",
      InstanceId: node.id,
    });
    const id = a.AssociationId as string;
    expect(await node.due()).toEqual([id]);
    expect((await node.report(id, "InProgress", "Executing association", "", clock.now)).status).toBe(200);
    later(QUIET_AFTER_MS + 1000);
    const [run] = (await runsOf(id)) as [Run];
    expect(run).toMatchObject({ Status: "InProgress" });
    expect(await targetsOf(id, run.ExecutionId)).toEqual({ [node.id]: "InProgress/InProgress" });
    await assertAuditClean(server.table);
  });
});

describe("a pushed target follows its command's invocation", () => {
  it("a node that never takes its message: DeliveryTimedOut at the scheduler's tick past the delivery timeout, its target Failed, the run ended", async () => {
    // A registered node whose agent is off: it polls neither the channel nor its associations.
    const node = (await ManagedNode.register()).via(server);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo never"] },
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
    });
    const id = a.AssociationId as string;
    const [run] = await runsOf(id);
    const { ExecutionId: runId } = run as Run;
    const [{ OutputSource }] = (
      await call("DescribeAssociationExecutionTargets", { AssociationId: id, ExecutionId: runId })
    ).AssociationExecutionTargets;
    later(PUSHED_RUN_DELIVERY_SECONDS * 1000 - 1000);
    await server.table.services.scheduler.tick();
    expect(await runsOf(id)).toEqual([expect.objectContaining({ Status: "Pending" })]);
    later(2000);
    expect((await server.table.services.scheduler.tick()).settled).toBeGreaterThanOrEqual(1);
    expect(
      await call("GetCommandInvocation", { CommandId: OutputSource.OutputSourceId, InstanceId: node.id }),
    ).toMatchObject({ Status: "TimedOut", StatusDetails: "DeliveryTimedOut" });
    expect(await targetsOf(id, runId)).toEqual({ [node.id]: "Failed/Failed" });
    expect(await runsOf(id)).toEqual([
      expect.objectContaining({ Status: "Failed", ResourceCountByStatus: "{Failed=1}" }),
    ]);
    await assertAuditClean(server.table);
  });

  it("a node that took its message and went silent: DeliveryTimedOut once its command expires (ExpiresAfter), its target Failed; its late replies change neither", async () => {
    const agent = await ReplayedAgent.register(server);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo late"] },
      Targets: [{ Key: "InstanceIds", Values: [agent.instanceId] }],
    });
    const id = a.AssociationId as string;
    const message = await agent.next();
    const payload = await agent.receive(message);
    const [{ ExecutionId: runId }] = (await runsOf(id)) as [Run];
    const commandId = message.MessageId.slice("aws.ssm.".length, -`.${agent.instanceId}`.length);
    // "If a command expires, it changes status to DeliveryTimedOut for all invocations that have
    // the status InProgress" (Command.ExpiresAfter): the delivery timeout plus the execution timeout.
    const [command] = (await call("ListCommands", { CommandId: commandId })).Commands;
    clock.now = new Date(command.ExpiresAfter * 1000 + 1000);
    expect((await server.table.services.scheduler.tick()).settled).toBeGreaterThanOrEqual(1);
    expect(await call("GetCommandInvocation", { CommandId: commandId, InstanceId: agent.instanceId })).toMatchObject({
      StatusDetails: "DeliveryTimedOut",
    });
    expect(await targetsOf(id, runId)).toEqual({ [agent.instanceId]: "Failed/Failed" });
    // The agent finishes after all: the first final status wins, on the invocation and on the run.
    await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: "late\n" }));
    expect(await call("GetCommandInvocation", { CommandId: commandId, InstanceId: agent.instanceId })).toMatchObject({
      StatusDetails: "DeliveryTimedOut",
    });
    expect(await targetsOf(id, runId)).toEqual({ [agent.instanceId]: "Failed/Failed" });
    expect(await runsOf(id)).toEqual([
      expect.objectContaining({ Status: "Failed", ResourceCountByStatus: "{Failed=1}" }),
    ]);
    await assertAuditClean(server.table);
  });
});
