/**
 * The rollout guardrails end to end (docs/guardrails.md): the real `aws` CLI and the SDK
 * v3 client against the local server, and a replayed SSM Agent over HTTP. Change Calendar
 * documents and GetCalendarState, CalendarNames gating a run, SyncCompliance MANUAL, Duration and
 * AlarmConfiguration echoed.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAssociationCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionsCommand,
  GetCalendarStateCommand,
  ListComplianceItemsCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, sdkClient, useLocalEndpoint } from "../support/endpoint.ts";
import { calendarContent } from "../support/fixtures.ts";
import { ManagedNode } from "../support/managed-node.ts";

const server = useLocalEndpoint();
let workDir: string;
let ssm: SSMClient;
let node: ManagedNode;

async function cli<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const result = await awsCli(server.url, args, { output: "json" });
  if (result.code !== 0) throw new Error(`aws ssm ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return (result.stdout.trim() === "" ? undefined : JSON.parse(result.stdout)) as T;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "osm-guardrails-"));
  ssm = sdkClient(server.url);
  node = (await ManagedNode.register([{ Key: "guard", Value: "rails" }])).via(server);
  for (const [name, type] of [
    ["e2e-open", "DEFAULT_OPEN"],
    ["e2e-closed", "DEFAULT_CLOSED"],
  ] as const) {
    const file = join(workDir, `${name}.ics`);
    await writeFile(file, calendarContent(type));
    await cli(
      "create-document",
      "--name",
      name,
      "--document-type",
      "ChangeCalendar",
      "--document-format",
      "TEXT",
      "--content",
      `file://${file}`,
    );
  }
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("rollout guardrails through the CLI, the SDK and a replayed agent", { timeout: 120_000 }, () => {
  it("get-calendar-state (CLI) and GetCalendarState (SDK), with the model's errors", async () => {
    const open = await cli<{ State: string; AtTime: string }>("get-calendar-state", "--calendar-names", "e2e-open");
    expect(open.State).toBe("OPEN");
    expect(open.AtTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      await cli(
        "get-calendar-state",
        "--calendar-names",
        "e2e-open",
        "e2e-closed",
        "--at-time",
        "2027-07-19T21:15:19Z",
      ),
    ).toEqual({ State: "CLOSED", AtTime: "2027-07-19T21:15:19Z" });
    const closed = await ssm.send(
      new GetCalendarStateCommand({
        CalendarNames: ["arn:aws:ssm:us-east-1:000000000000:document/e2e-closed"],
        AtTime: "2027-07-19T21:15:19Z",
      }),
    );
    expect(closed).toMatchObject({ State: "CLOSED", AtTime: "2027-07-19T21:15:19Z" });
    await expect(
      ssm.send(new GetCalendarStateCommand({ CalendarNames: ["AWS-RunShellScript"] })),
    ).rejects.toMatchObject({ name: "InvalidDocumentType" });
    await expect(ssm.send(new GetCalendarStateCommand({ CalendarNames: ["no-such-calendar"] }))).rejects.toMatchObject({
      name: "InvalidDocument",
    });
  });

  it("CalendarNames: closed, the run is skipped and the agent not told; open (after an update), it runs; MANUAL writes no compliance", async () => {
    const { AssociationDescription: a } = await cli<{ AssociationDescription: { AssociationId: string } }>(
      "create-association",
      "--name",
      "AWS-RunShellScript",
      "--parameters",
      "commands=true",
      "--targets",
      "Key=tag:guard,Values=rails",
      "--calendar-names",
      "e2e-closed",
      "--sync-compliance",
      "MANUAL",
    );
    const id = a.AssociationId;
    const runs = async () =>
      (await ssm.send(new DescribeAssociationExecutionsCommand({ AssociationId: id }))).AssociationExecutions ?? [];
    expect(await runs()).toEqual([
      expect.objectContaining({ Status: "Skipped", ResourceCountByStatus: "{Skipped=1}" }),
    ]);
    expect(await node.due()).toEqual([]);
    // The agent's view and the node's status say why.
    expect((await node.associations()).find((x) => x.AssociationId === id)).toMatchObject({ Status: "Skipped" });
    // Every update runs it (the API reference): with an open calendar, the node is told.
    await cli(
      "update-association",
      "--association-id",
      id,
      "--parameters",
      "commands=true",
      "--calendar-names",
      "e2e-open",
      "--sync-compliance",
      "MANUAL",
    );
    expect(await node.due()).toEqual([id]);
    expect(await node.run(id, "Success")).toEqual([200, 200, 200, 200]);
    expect((await runs())[0]).toMatchObject({ Status: "Success" });
    const items = await ssm.send(
      new ListComplianceItemsCommand({
        ResourceIds: [node.id],
        ResourceTypes: ["ManagedInstance"],
        Filters: [{ Key: "ComplianceType", Values: ["Association"] }],
      }),
    );
    expect(items.ComplianceItems).toEqual([]);
  });

  it("Duration with ApplyOnlyAtCronInterval, and AlarmConfiguration, stored and echoed (SDK and CLI)", async () => {
    const created = await ssm.send(
      new CreateAssociationCommand({
        Name: "AWS-RunShellScript",
        Parameters: { commands: ["true"] },
        Targets: [{ Key: "tag:guard", Values: ["rails"] }],
        ScheduleExpression: "cron(0 2 ? * SUN *)",
        ApplyOnlyAtCronInterval: true,
        Duration: 2,
        AlarmConfiguration: { Alarms: [{ Name: "cpu-high" }], IgnorePollAlarmFailure: false },
      }),
    );
    const id = created.AssociationDescription?.AssociationId as string;
    const described = await ssm.send(new DescribeAssociationCommand({ AssociationId: id }));
    expect(described.AssociationDescription).toMatchObject({
      Duration: 2,
      ApplyOnlyAtCronInterval: true,
      AlarmConfiguration: { Alarms: [{ Name: "cpu-high" }], IgnorePollAlarmFailure: false },
    });
    expect(described.AssociationDescription?.TriggeredAlarms).toBeUndefined();
    const viaCli = await cli<{ AssociationDescription: Record<string, unknown> }>(
      "describe-association",
      "--association-id",
      id,
    );
    expect(viaCli.AssociationDescription).toMatchObject({
      Duration: 2,
      AlarmConfiguration: { Alarms: [{ Name: "cpu-high" }] },
    });
    // ApplyOnlyAtCronInterval: nothing runs before the schedule, so the node is not told.
    expect(await node.due()).not.toContain(id);
  });
});
