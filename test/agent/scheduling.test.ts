/**
 * What the SSM Agent schedules on its own from ListInstanceAssociations (ARCHITECTURE.md, "What
 * the agent schedules on its own"), replayed with the agent's scheduler ported from its source
 * (test/support/association-agent.ts: model.go SetNextScheduledDate, schedulemanager.go,
 * processor.go runScheduledAssociation and its StuckAtInProgress check) on a fake clock, through
 * the real handlers and the service's scheduler. The agent has no message channel here (the poll
 * path); its signals are replayed: one after each poll, one at the end of each run, and its
 * wait timer and 300 s health ticker (`tick`) in between.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AssociationAgent, HEALTH_TICK_MS, isTimedOut } from "../support/association-agent.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const clock = { now: new Date("2027-05-03T10:00:00.000Z") };
const at = (iso: string) => {
  clock.now = new Date(iso);
};
const later = (ms: number) => {
  clock.now = new Date(clock.now.getTime() + ms);
};
const MINUTE = 60_000;
let table: TestTable;

beforeAll(async () => {
  table = await freshTable({ clock: () => clock.now });
});

async function agentOfNewNode(tags: { Key: string; Value: string }[] = []): Promise<AssociationAgent> {
  return new AssociationAgent(await ManagedNode.register(tags), () => clock.now);
}

const executions = async (AssociationId: string) =>
  (await call("DescribeAssociationExecutions", { AssociationId })).AssociationExecutions as {
    ExecutionId: string;
    Status: string;
    ResourceCountByStatus: string;
  }[];

describe("ListInstanceAssociations as the agent's scheduler reads it", () => {
  it("rate(30 minutes), polled every 5 minutes for 2 hours: one run at create and one per tick, none on any other poll; the answer never carries the schedule", async () => {
    at("2027-05-03T10:00:00.000Z");
    const agent = await agentOfNewNode();
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [agent.node.id] }],
      ScheduleExpression: "rate(30 minutes)",
    });
    const id = created.AssociationId as string;
    const ranAt: string[] = [];
    // AssociationFrequencyMinutes' least (agent/appconfig/constants.go): a poll every 5 minutes.
    for (let minute = 0; minute <= 120; minute += 5) {
      clock.now = new Date(Date.parse("2027-05-03T10:00:00.000Z") + minute * MINUTE);
      await table.services.scheduler.tick();
      const answer = await agent.list();
      expect(answer.map((a) => a.ScheduleExpression)).toEqual([undefined]);
      await agent.poll();
      const ran = await agent.drain();
      ranAt.push(...ran.map(() => clock.now.toISOString().slice(11, 16)));
      // Between polls the agent's own timers fire too (its wait timer, its health ticker).
      later(2 * MINUTE);
      expect(await agent.tick()).toEqual({ kind: "idle", nextScheduledDate: undefined });
    }
    expect(ranAt).toEqual(["10:00", "10:30", "11:00", "11:30", "12:00"]);
    const runs = await executions(id);
    expect(runs.map((run) => [run.Status, run.ResourceCountByStatus])).toEqual(
      Array.from({ length: 5 }, () => ["Success", "{Success=1}"]),
    );
  });

  it("rate controls hold at each tick: MaxConcurrency 1 over two nodes, neither starts on its own timer; one at a time, the second once the first has reported", async () => {
    at("2027-05-04T10:00:00.000Z");
    const tag = { Key: "wave", Value: "controls" };
    const agents = [await agentOfNewNode([tag]), await agentOfNewNode([tag])];
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:wave", Values: ["controls"] }],
      ScheduleExpression: "rate(30 minutes)",
      MaxConcurrency: "1",
    });
    const id = created.AssociationId as string;
    for (const [tick, time] of [
      [0, "2027-05-04T10:00:00.000Z"],
      // Past both the 10:30 tick and 30 minutes after each node's first run ended (~10:05), when
      // an agent handed the schedule would fire its own wait timer (model.go: Next(LastExecutionDate)).
      [1, "2027-05-04T10:36:00.000Z"],
    ] as const) {
      at(time);
      if (tick > 0) {
        // Each agent's timers fire before its next poll: neither runs on its own.
        for (const agent of agents) expect((await agent.tick()).kind).toBe("idle");
        await table.services.scheduler.tick();
      }
      for (const agent of agents) await agent.poll();
      const started = await Promise.all(agents.map((agent) => agent.tick()));
      expect(started.filter((result) => result.kind === "started")).toHaveLength(1);
      const first = agents[started.findIndex((result) => result.kind === "started")] as AssociationAgent;
      const second = agents.find((agent) => agent !== first) as AssociationAgent;
      // The second is held back (not listed) while the first runs, whatever its timers do.
      later(HEALTH_TICK_MS);
      await second.poll();
      expect(await second.drain()).toEqual([]);
      await first.finish(id);
      await second.poll();
      expect(await second.drain()).toEqual([id]);
      for (const agent of agents) {
        await agent.poll();
        expect(await agent.drain()).toEqual([]);
      }
    }
    expect((await executions(id)).map((run) => run.ResourceCountByStatus)).toEqual(["{Success=2}", "{Success=2}"]);
  });

  it("StuckAtInProgress: told to run with the moment it is told, a run longer than the health ticker whose previous run was hours ago is not failed as stuck; while it runs the answer's LastExecutionDate is its InProgress report's date", async () => {
    at("2027-05-05T08:00:00.000Z");
    const agent = await agentOfNewNode();
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [agent.node.id] }],
    });
    const id = created.AssociationId as string;
    await agent.poll();
    expect(await agent.drain()).toEqual([id]);
    // Three hours on, a new run: the node's last report is three hours old.
    at("2027-05-05T11:00:00.000Z");
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    const toldAt = new Date(clock.now);
    await agent.poll();
    const [told] = agent.associations;
    expect(await agent.tick()).toEqual({ kind: "started", associationId: id });
    // The health ticker fires while it still runs: the agent checks it for StuckAtInProgress
    // against the date it was told Pending with (processor.go isAssociationTimedOut).
    const inProgressAt = new Date(clock.now);
    later(HEALTH_TICK_MS);
    expect(await agent.tick()).toEqual({ kind: "inProgress", associationId: id });
    expect(agent.reports.filter((r) => r.errorCode === "StuckAtInProgressError")).toEqual([]);
    expect(told?.Association).toMatchObject({ LastExecutionDate: toldAt });
    // Its next poll lists it InProgress, dated by its InProgress report: the agent leaves it be.
    const [running] = await agent.list();
    expect(running).toMatchObject({ DetailedStatus: "InProgress", LastExecutionDate: inProgressAt });
    expect(
      isTimedOut(running as NonNullable<typeof running>, new Date(inProgressAt.getTime() + 2 * 3600_000 + 1)),
    ).toBe(true);
    await agent.poll();
    expect(await agent.tick()).toEqual({ kind: "idle", nextScheduledDate: undefined });
    await agent.finish(id);
    expect((await executions(id)).map((run) => run.ResourceCountByStatus)).toEqual(["{Success=1}", "{Success=1}"]);
  });
});
