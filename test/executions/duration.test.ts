/**
 * Duration, through the real handlers, a replayed agent and the scheduler on a fake clock. The
 * model: "The number of hours the association can run before it is canceled ... applies only
 * when ... The command specifies the ApplyOnlyAtCronInterval parameter"; the Association shape:
 * "After the resulting cutoff time passes, associations that are currently running are
 * cancelled, and no pending executions are started on remaining targets." What is not done here:
 * a run already on a node is not cancelled (nothing tells the agent to stop an association), so
 * its report still lands.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const clock = { now: new Date("2027-03-01T00:00:00Z") };
const at = (iso: string) => {
  clock.now = new Date(iso);
};
let table: TestTable;

beforeAll(async () => {
  table = await freshTable({ clock: () => clock.now });
});

const executions = async (AssociationId: string) =>
  (await call("DescribeAssociationExecutions", { AssociationId })).AssociationExecutions;

/** Two nodes of a tag, one at a time, due on the 1st of each month at 02:00, for `Duration` hours. */
async function rollout(tag: string, extra: Record<string, unknown>) {
  at("2027-03-01T00:00:00Z");
  const fleet = await ManagedNode.registerFleet(2, [{ Key: "fleet", Value: tag }]);
  const { AssociationDescription: a } = await call("CreateAssociation", {
    Name: "AWS-RunShellScript",
    Parameters: { commands: ["true"] },
    Targets: [{ Key: "tag:fleet", Values: [tag] }],
    ScheduleExpression: "cron(0 2 1 * ? *)",
    MaxConcurrency: "1",
    Duration: 1,
    ...extra,
  });
  return { fleet, id: a.AssociationId as string };
}

/** The node told to run, and the one held back. */
async function split(fleet: ManagedNode[], id: string) {
  const due = await Promise.all(fleet.map((node) => node.due()));
  expect(due.flat()).toEqual([id]);
  const running = fleet[due.findIndex((ids) => ids.length > 0)] as ManagedNode;
  return { running, waiting: fleet.find((node) => node !== running) as ManagedNode };
}

describe("Duration with ApplyOnlyAtCronInterval", () => {
  it("no target starts after the cutoff; the running one's report still lands; the run ends TimedOut", async () => {
    const { fleet, id } = await rollout("cutoff", { ApplyOnlyAtCronInterval: true });
    // ApplyOnlyAtCronInterval: nothing runs at create.
    expect(await executions(id)).toEqual([]);
    at("2027-04-01T02:00:00Z");
    expect((await table.services.scheduler.tick()).started).toBeGreaterThanOrEqual(1);
    const { running, waiting } = await split(fleet, id);
    at("2027-04-01T02:59:59Z");
    expect(await waiting.due()).toEqual([]); // MaxConcurrency holds it: the other one still runs
    at("2027-04-01T03:00:00Z");
    expect(await running.run(id, "Success")).toEqual([200, 200, 200, 200]);
    // Its turn came at the cutoff: it is not told, and the run is over.
    expect(await waiting.due()).toEqual([]);
    const [run] = await executions(id);
    expect(run).toMatchObject({ Status: "TimedOut", ResourceCountByStatus: "{Success=1,Skipped=1}" });
    const { AssociationExecutionTargets: targets } = await call("DescribeAssociationExecutionTargets", {
      AssociationId: id,
      ExecutionId: run.ExecutionId,
    });
    expect(targets.map((t: { ResourceId: string; Status: string }) => [t.ResourceId, t.Status]).sort()).toEqual(
      [
        [running.id, "Success"],
        [waiting.id, "Skipped"],
      ].sort(),
    );
    // A node that matches the targets after the cutoff is not let into the run either.
    const [late] = await ManagedNode.registerFleet(1, [{ Key: "fleet", Value: "cutoff" }]);
    expect(await (late as ManagedNode).due()).toEqual([]);
    // The next month's run starts afresh, with its own cutoff.
    at("2027-05-01T02:00:00Z");
    await table.services.scheduler.tick();
    expect((await executions(id))[0]).toMatchObject({ Status: "Pending" });
  });

  it("without ApplyOnlyAtCronInterval, Duration does not apply (the model's condition)", async () => {
    const { fleet, id } = await rollout("no-cutoff", {});
    const { running, waiting } = await split(fleet, id);
    at("2027-03-01T05:00:00Z");
    expect(await running.run(id, "Success")).toEqual([200, 200, 200, 200]);
    expect(await waiting.due()).toEqual([id]);
    expect(await waiting.run(id, "Success")).toEqual([200, 200, 200, 200]);
    expect((await executions(id))[0]).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=2}" });
  });
});
