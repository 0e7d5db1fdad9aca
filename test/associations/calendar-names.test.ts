/**
 * CalendarNames gate an association's runs ("The associations only run when that change calendar
 * is open", CreateAssociation), through the real handlers, a replayed agent (test/support/
 * managed-node.ts) and the scheduler, on a fake clock. What AWS's user guide says
 * ("Creating associations"): "The association checks the calendar state when it runs. If the
 * calendar is closed at launch time and the association is only run once, it won't run again
 * because the association run window has passed"; "If you add new nodes to the tags ... when the
 * change calendar is closed, the association is applied to those nodes once the change calendar
 * opens"; and "State Manager records history for all skipped intervals".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { calendarContent, calendarEvent } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const clock = { now: new Date("2027-01-01T00:00:00Z") };
const at = (iso: string) => {
  clock.now = new Date(iso);
};
let table: TestTable;

/** Closed all of 10 January 2027 (UTC), open otherwise. */
const FREEZE = calendarContent(
  "DEFAULT_OPEN",
  calendarEvent("freeze", ["DTSTART:20270110T000000Z", "DTEND:20270111T000000Z"]),
);

const executions = async (AssociationId: string) =>
  (await call("DescribeAssociationExecutions", { AssociationId })).AssociationExecutions;
const targets = async (AssociationId: string, ExecutionId: string) =>
  (await call("DescribeAssociationExecutionTargets", { AssociationId, ExecutionId })).AssociationExecutionTargets;

beforeAll(async () => {
  table = await freshTable({ clock: () => clock.now });
  await call("CreateDocument", {
    Name: "Freeze",
    Content: FREEZE,
    DocumentType: "ChangeCalendar",
    DocumentFormat: "TEXT",
  });
});

const association = (node: ManagedNode, extra: Record<string, unknown> = {}) =>
  call("CreateAssociation", {
    Name: "AWS-RunShellScript",
    Parameters: { commands: ["true"] },
    Targets: [{ Key: "InstanceIds", Values: [node.id] }],
    CalendarNames: ["Freeze"],
    ...extra,
  });

describe("CreateAssociation and UpdateAssociation check CalendarNames", () => {
  it("refuse a name that is not a ChangeCalendar document the caller can use (InvalidDocument), writing nothing", async () => {
    at("2027-01-01T00:00:00Z");
    const node = await ManagedNode.register();
    const before = (await table.items()).length;
    for (const CalendarNames of [["NoSuchCalendar"], ["AWS-RunShellScript"], ["Freeze", "NoSuchCalendar"]]) {
      const refused = await fails("CreateAssociation", {
        Name: "AWS-RunShellScript",
        Parameters: { commands: ["true"] },
        Targets: [{ Key: "InstanceIds", Values: [node.id] }],
        CalendarNames,
      });
      expect(refused).toMatchObject({ type: "InvalidDocument", message: expect.stringContaining("CalendarNames") });
    }
    expect((await table.items()).length).toBe(before);
    const batch = await call("CreateAssociationBatch", {
      Entries: [
        {
          Name: "AWS-RunShellScript",
          Parameters: { commands: ["true"] },
          Targets: [{ Key: "InstanceIds", Values: [node.id] }],
          CalendarNames: ["NoSuchCalendar"],
        },
      ],
    });
    expect(batch.Failed).toEqual([
      expect.objectContaining({ Fault: "Client", Message: expect.stringContaining("NoSuchCalendar") }),
    ]);
    const { AssociationDescription: created } = await association(node, {
      CalendarNames: ["arn:aws:ssm:us-east-1:000000000000:document/Freeze"],
    });
    expect(created.CalendarNames).toEqual(["arn:aws:ssm:us-east-1:000000000000:document/Freeze"]);
    const update = await fails("UpdateAssociation", {
      AssociationId: created.AssociationId,
      Parameters: { commands: ["true"] },
      CalendarNames: ["AWS-RunShellScript"],
    });
    expect(update.type).toBe("InvalidDocument");
    await call("DeleteAssociation", { AssociationId: created.AssociationId });
  });
});

describe("a run while a calendar is CLOSED", () => {
  it("is recorded Skipped, starts no target, and is not run again when the calendar opens", async () => {
    at("2027-01-10T06:00:00Z");
    const node = await ManagedNode.register();
    const { AssociationDescription: a } = await association(node);
    const [run] = await executions(a.AssociationId);
    expect(run).toMatchObject({ Status: "Skipped", DetailedStatus: "Skipped", ResourceCountByStatus: "{Skipped=1}" });
    expect(await targets(a.AssociationId, run.ExecutionId)).toEqual([
      expect.objectContaining({ ResourceId: node.id, Status: "Skipped", DetailedStatus: "Skipped" }),
    ]);
    // The agent is not told to run it (it runs only what is answered Pending).
    expect(await node.due()).toEqual([]);
    const { AssociationDescription: described } = await call("DescribeAssociation", { AssociationId: a.AssociationId });
    expect(described.Overview).toEqual({
      Status: "Pending",
      DetailedStatus: "Skipped",
      AssociationStatusAggregatedCount: { Skipped: 1 },
    });
    at("2027-01-11T00:00:00Z");
    expect(await node.due()).toEqual([]);
    expect(await executions(a.AssociationId)).toHaveLength(1);
  });

  it("the scheduler records a skipped interval while CLOSED, and runs the next one once OPEN", async () => {
    at("2027-01-09T12:00:00Z");
    const node = await ManagedNode.register();
    const { AssociationDescription: a } = await association(node, {
      ScheduleExpression: "cron(0 12 ? * * *)",
      ApplyOnlyAtCronInterval: true,
    });
    at("2027-01-10T12:00:00Z");
    expect((await table.services.scheduler.tick()).started).toBeGreaterThanOrEqual(1);
    expect((await executions(a.AssociationId))[0]).toMatchObject({ Status: "Skipped" });
    expect(await node.due()).toEqual([]);
    at("2027-01-11T12:00:00Z");
    await table.services.scheduler.tick();
    const [latest, skipped] = await executions(a.AssociationId);
    expect(skipped).toMatchObject({ Status: "Skipped" });
    expect(latest).toMatchObject({ Status: "Pending", ResourceCountByStatus: "{Pending=1}" });
    expect(await node.due()).toEqual([a.AssociationId]);
    expect(await node.run(a.AssociationId, "Success")).toEqual([200, 200, 200, 200]);
    expect((await executions(a.AssociationId))[0]).toMatchObject({ Status: "Success" });
  });

  it("StartAssociationsOnce while CLOSED records a skipped run too", async () => {
    at("2027-01-09T00:00:00Z");
    const node = await ManagedNode.register();
    const { AssociationDescription: a } = await association(node, {
      ScheduleExpression: "cron(0 12 ? * * *)",
      ApplyOnlyAtCronInterval: true,
    });
    at("2027-01-10T01:00:00Z");
    await call("StartAssociationsOnce", { AssociationIds: [a.AssociationId] });
    expect(await executions(a.AssociationId)).toEqual([expect.objectContaining({ Status: "Skipped" })]);
    expect(await node.due()).toEqual([]);
  });
});

describe("a run that starts OPEN", () => {
  it("starts no waiting target once a calendar closes; the run ends Skipped for those", async () => {
    at("2027-01-09T23:00:00Z");
    const [first, second] = await ManagedNode.registerFleet(2, [{ Key: "fleet", Value: "closing" }]);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:fleet", Values: ["closing"] }],
      CalendarNames: ["Freeze"],
      MaxConcurrency: "1",
    });
    const nodes = [first, second] as ManagedNode[];
    const due = await Promise.all(nodes.map((node) => node.due()));
    const running = nodes[due.findIndex((ids) => ids.length === 1)] as ManagedNode;
    const waiting = nodes.find((node) => node !== running) as ManagedNode;
    expect(due.flat()).toEqual([a.AssociationId]);
    expect(await running.run(a.AssociationId, "Success")).toEqual([200, 200, 200, 200]);
    at("2027-01-10T00:00:00Z");
    // Its turn came after the calendar closed: it is not told.
    expect(await waiting.due()).toEqual([]);
    const [run] = await executions(a.AssociationId);
    expect(run).toMatchObject({ Status: "Skipped", ResourceCountByStatus: "{Success=1,Skipped=1}" });
  });

  it("a node added while CLOSED runs once the calendar opens", async () => {
    at("2027-01-09T12:00:00Z");
    const [early] = await ManagedNode.registerFleet(1, [{ Key: "fleet", Value: "growing" }]);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:fleet", Values: ["growing"] }],
      CalendarNames: ["Freeze"],
    });
    expect(await (early as ManagedNode).due()).toEqual([a.AssociationId]);
    at("2027-01-10T12:00:00Z");
    const [late] = await ManagedNode.registerFleet(1, [{ Key: "fleet", Value: "growing" }]);
    expect(await (late as ManagedNode).due()).toEqual([]);
    at("2027-01-11T00:00:01Z");
    expect(await (late as ManagedNode).due()).toEqual([a.AssociationId]);
  });

  it("a calendar that can no longer be read is not OPEN: the run is skipped", async () => {
    at("2027-01-02T00:00:00Z");
    await call("CreateDocument", {
      Name: "Temporary",
      Content: calendarContent("DEFAULT_OPEN"),
      DocumentType: "ChangeCalendar",
      DocumentFormat: "TEXT",
    });
    const node = await ManagedNode.register();
    const { AssociationDescription: a } = await association(node, {
      CalendarNames: ["Temporary"],
      ScheduleExpression: "cron(0 12 ? * * *)",
      ApplyOnlyAtCronInterval: true,
    });
    await call("DeleteDocument", { Name: "Temporary" });
    await call("StartAssociationsOnce", { AssociationIds: [a.AssociationId] });
    expect(await executions(a.AssociationId)).toEqual([expect.objectContaining({ Status: "Skipped" })]);
  });
});
