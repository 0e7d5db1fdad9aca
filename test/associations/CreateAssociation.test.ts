/** CreateAssociation: every member and every error, each error writing nothing. */
import { beforeAll, describe, expect, it } from "vitest";
import { stringify as stringifyYaml } from "yaml";
import { calendarContent, commandContent, SEED_LEGACY_DESCRIPTION_KEYS } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const LINUX = "i-0aaaaaaaaaaaaaaa1";
const WINDOWS = "i-0bbbbbbbbbbbbbbb2";

const linuxOnly = JSON.stringify({
  schemaVersion: "2.2",
  parameters: {
    level: { type: "String", default: "info", allowedValues: ["info", "debug"] },
    port: { type: "Integer", default: 80 },
    code: { type: "String", default: "A1", allowedPattern: "^[A-Z][0-9]$" },
    lines: { type: "StringList", default: ["x"] },
  },
  mainSteps: [{ action: "aws:runShellScript", name: "run", inputs: { runCommand: ["echo {{ level }}"] } }],
});

beforeAll(async () => {
  table = await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: LINUX, PlatformType: "Linux" });
  await call("UpdateInstanceInformation", { InstanceId: WINDOWS, PlatformType: "Windows" });
  await call("CreateDocument", { Name: "linux-only", Content: linuxOnly });
  // CalendarNames must name Change Calendars (test/associations/calendar-names.test.ts).
  await call("CreateDocument", {
    Name: "change-calendar",
    Content: calendarContent("DEFAULT_OPEN"),
    DocumentType: "ChangeCalendar",
    DocumentFormat: "TEXT",
  });
  await call("CreateDocument", {
    Name: "linux-only-yaml",
    Content: stringifyYaml(JSON.parse(linuxOnly)),
    DocumentFormat: "YAML",
  });
  await call("CreateDocument", {
    Name: "needs-message",
    Content: commandContent("x", { parameters: { message: { type: "String" } } }),
  });
  await call("CreateDocument", {
    Name: "a-session",
    DocumentType: "Session",
    Content: JSON.stringify({ schemaVersion: "1.0", sessionType: "Standard_Stream", inputs: {} }),
  });
});

async function refused(request: Record<string, unknown>): Promise<{ type: string; message?: string }> {
  const before = await table.items();
  const answer = await invoke("CreateAssociation", request);
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(await table.items()).toEqual(before);
  return { type: answer.body.__type as string, message: answer.body.message as string | undefined };
}

describe("CreateAssociation", () => {
  it("answers the seed page's legacy sample with the same shape", async () => {
    const { AssociationDescription: d } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: LINUX,
    });
    expect(Object.keys(d).sort()).toEqual(SEED_LEGACY_DESCRIPTION_KEYS);
    expect(d).toMatchObject({
      ApplyOnlyAtCronInterval: false,
      AssociationVersion: "1",
      DocumentVersion: "$DEFAULT",
      InstanceId: LINUX,
      Name: "AWS-UpdateSSMAgent",
      Overview: { DetailedStatus: "Creating", Status: "Pending" },
      Status: { Message: "Associated with AWS-UpdateSSMAgent", Name: "Associated" },
      Targets: [{ Key: "InstanceIds", Values: [LINUX] }],
    });
    expect(d.AssociationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(d.Date).toBe(d.LastUpdateAssociationDate);
    expect(d.Status.Date).toBe(d.Date);
  });

  it("echoes every member of a target-based association", async () => {
    const request = {
      Name: "linux-only",
      DocumentVersion: "$LATEST",
      Targets: [
        { Key: "tag:role", Values: ["web", "api"] },
        { Key: "InstanceIds", Values: [LINUX] },
      ],
      Parameters: { level: ["debug"], lines: ["a", "b"] },
      ScheduleExpression: "cron(0 2 ? * SUN *)",
      ScheduleOffset: 2,
      ApplyOnlyAtCronInterval: true,
      AssociationName: "nightly-config",
      MaxConcurrency: "10%",
      MaxErrors: "1",
      ComplianceSeverity: "HIGH",
      SyncCompliance: "MANUAL",
      OutputLocation: {
        S3Location: { OutputS3BucketName: "my-ssm-output", OutputS3KeyPrefix: "runs/", OutputS3Region: "eu-west-1" },
      },
      Tags: [{ Key: "team", Value: "platform" }],
      TargetLocations: [{ Accounts: ["000000000000"], Regions: ["us-east-1"] }],
      CalendarNames: ["change-calendar"],
      AlarmConfiguration: { Alarms: [{ Name: "cpu-high" }], IgnorePollAlarmFailure: true },
      AutomationTargetParameterName: "InstanceId",
      Duration: 2,
      AssociationDispatchAssumeRole: "arn:aws:iam::000000000000:role/dispatch",
    };
    const { AssociationDescription: d } = await call("CreateAssociation", request);
    const { Tags: _tags, ...echoed } = request;
    expect(d).toMatchObject({
      ...echoed,
      AssociationVersion: "1",
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
    });
    expect(d.Status).toBeUndefined();
    expect(d.InstanceId).toBeUndefined();
    // AlarmConfiguration is stored and echoed, never evaluated: no CloudWatch here, so no alarm
    // is ever reported triggered (docs/guardrails.md).
    expect(d.TriggeredAlarms).toBeUndefined();
    const { AssociationDescription: described } = await call("DescribeAssociation", { AssociationId: d.AssociationId });
    expect(described.AlarmConfiguration).toEqual(request.AlarmConfiguration);
    expect(described.TriggeredAlarms).toBeUndefined();
    expect(
      (await call("ListTagsForResource", { ResourceType: "Association", ResourceId: d.AssociationId })).TagList,
    ).toEqual([{ Key: "team", Value: "platform" }]);
  });

  it("accepts the document's ARN, tag-key, InstanceIds=* and rate and at schedules", async () => {
    for (const request of [
      {
        Name: "arn:aws:ssm:us-east-1:000000000000:document/linux-only",
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
      },
      { Name: "linux-only", Targets: [{ Key: "tag-key", Values: ["role"] }], ScheduleExpression: "rate(30 minutes)" },
      { Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }], ScheduleExpression: "rate(1 day)" },
      {
        Name: "linux-only",
        Targets: [{ Key: "tag:a", Values: ["b"] }],
        ScheduleExpression: "at(2030-01-01T10:00:00)",
        ApplyOnlyAtCronInterval: true,
      },
      { Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }], ScheduleExpression: "cron(0 0 0/4 1/1 * ? *)" },
    ]) {
      expect((await invoke("CreateAssociation", request)).status, JSON.stringify(request)).toBe(200);
    }
  });

  it("AssociationAlreadyExists: one legacy association per document and node", async () => {
    await call("CreateAssociation", {
      Name: "AWS-RunPowerShellScript",
      InstanceId: WINDOWS,
      Parameters: { commands: ["dir"] },
    });
    expect(
      await refused({ Name: "AWS-RunPowerShellScript", InstanceId: WINDOWS, Parameters: { commands: ["dir"] } }),
    ).toMatchObject({ type: "AssociationAlreadyExists" });
    // Target-based associations may repeat, as AWS allows.
    const twice = { Name: "linux-only", Targets: [{ Key: "tag:x", Values: ["y"] }] };
    expect((await invoke("CreateAssociation", twice)).status).toBe(200);
    expect((await invoke("CreateAssociation", twice)).status).toBe(200);
  });

  it("InvalidDocument: missing, another account's, not associable, or a 2.x document with InstanceId", async () => {
    expect(await refused({ Name: "no-such-doc", Targets: [{ Key: "tag:a", Values: ["b"] }] })).toMatchObject({
      type: "InvalidDocument",
    });
    expect(
      (
        await refused({
          Name: "arn:aws:ssm:us-east-1:123456789012:document/linux-only",
          Targets: [{ Key: "tag:a", Values: ["b"] }],
        })
      ).type,
    ).toBe("InvalidDocument");
    expect((await refused({ Name: "a-session", Targets: [{ Key: "tag:a", Values: ["b"] }] })).type).toBe(
      "InvalidDocument",
    );
    // aws/aws-cli#6878 and public templates quote this wording.
    expect(await refused({ Name: "linux-only", InstanceId: LINUX })).toEqual({
      type: "InvalidDocument",
      message: "Document schema version, 2.2, is not supported by association that is created with instance id",
    });
  });

  it("InvalidDocumentVersion", async () => {
    expect(
      (await refused({ Name: "linux-only", DocumentVersion: "7", Targets: [{ Key: "tag:a", Values: ["b"] }] })).type,
    ).toBe("InvalidDocumentVersion");
  });

  it("InvalidInstanceId: not a managed node of this account", async () => {
    expect((await refused({ Name: "AWS-UpdateSSMAgent", InstanceId: "i-0ccccccccccccccc3" })).type).toBe(
      "InvalidInstanceId",
    );
    expect(
      (await refused({ Name: "linux-only", Targets: [{ Key: "InstanceIds", Values: [LINUX, "i-0ccccccccccccccc3"] }] }))
        .type,
    ).toBe("InvalidInstanceId");
  });

  it("UnsupportedPlatformType: a Linux document on a Windows node", async () => {
    expect((await refused({ Name: "linux-only", Targets: [{ Key: "InstanceIds", Values: [WINDOWS] }] })).type).toBe(
      "UnsupportedPlatformType",
    );
  });

  it("InvalidParameters: undefined name, missing required, wrong type, allowedValues, allowedPattern", async () => {
    const target = { Targets: [{ Key: "tag:a", Values: ["b"] }] };
    expect(await refused({ Name: "linux-only", Parameters: { nope: ["x"] }, ...target })).toEqual({
      type: "InvalidParameters",
      message: 'Parameter "nope" is not defined in the document.',
    });
    expect(await refused({ Name: "needs-message", ...target })).toEqual({
      type: "InvalidParameters",
      message: 'Parameter "message" requires a value.',
    });
    expect((await refused({ Name: "linux-only", Parameters: { port: ["eighty"] }, ...target })).message).toBe(
      "Parameter type error. The value supplied for port is not a valid Integer.",
    );
    expect((await refused({ Name: "linux-only", Parameters: { level: ["a", "b"] }, ...target })).type).toBe(
      "InvalidParameters",
    );
    expect((await refused({ Name: "linux-only", Parameters: { level: ["trace"] }, ...target })).message).toBe(
      'Parameter "level" has value "trace" not found in [info, debug].',
    );
    expect((await refused({ Name: "linux-only", Parameters: { code: ["1A"] }, ...target })).type).toBe(
      "InvalidParameters",
    );
    expect((await refused({ Name: "AWS-RunShellScript", ...target })).message).toBe(
      'Parameter "commands" requires a value.',
    );
  });

  it("InvalidParameters: a YAML document's definitions, kept as JSON when it was created (documents/reader.ts)", async () => {
    const target = { Targets: [{ Key: "tag:a", Values: ["b"] }] };
    const name = "linux-only-yaml";
    expect((await refused({ Name: name, Parameters: { nope: ["x"] }, ...target })).type).toBe("InvalidParameters");
    expect((await refused({ Name: name, Parameters: { port: ["eighty"] }, ...target })).message).toBe(
      "Parameter type error. The value supplied for port is not a valid Integer.",
    );
    expect((await refused({ Name: name, Parameters: { level: ["trace"] }, ...target })).message).toBe(
      'Parameter "level" has value "trace" not found in [info, debug].',
    );
    expect((await refused({ Name: name, Parameters: { code: ["1A"] }, ...target })).message).toBe(
      'Parameter "code" has value "1A" not matching the allowed pattern ^[A-Z][0-9]$.',
    );
    const created = await invoke("CreateAssociation", { Name: name, Parameters: { level: ["debug"] }, ...target });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
  });

  it("InvalidTarget: none, unsupported keys, resource groups, empty values", async () => {
    expect(await refused({ Name: "linux-only" })).toEqual({
      type: "InvalidTarget",
      message: "Instance ID or targets must be specified",
    });
    expect((await refused({ Name: "linux-only", Targets: [{ Key: "ResourceGroup", Values: ["g"] }] })).message).toBe(
      "Unsupported Target Type",
    );
    expect(
      (await refused({ Name: "linux-only", Targets: [{ Key: "resource-groups:Name", Values: ["g"] }] })).type,
    ).toBe("InvalidTarget");
    expect((await refused({ Name: "linux-only", Targets: [{ Key: "tag:a", Values: [] }] })).type).toBe("InvalidTarget");
  });

  it("InvalidTargetMaps: together with Targets", async () => {
    expect(
      (
        await refused({
          Name: "linux-only",
          Targets: [{ Key: "tag:a", Values: ["b"] }],
          TargetMaps: [{ InstanceId: [LINUX] }],
        })
      ).type,
    ).toBe("InvalidTargetMaps");
  });

  it.each([
    ["rate(15 minutes)"],
    ["rate(1 hours)"],
    ["rate(5 hour)"],
    ["rate(31 days)"],
    ["rate(soon)"],
    ["cron(0 2 * * *)"],
    ["cron(5 0 2 ? * SUN *)"],
    ["cron(0 2 1 * MON *)"],
    ["every day"],
    ["at(tomorrow)"],
  ])("InvalidSchedule: %s", async (ScheduleExpression) => {
    expect(
      (await refused({ Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }], ScheduleExpression })).type,
    ).toBe("InvalidSchedule");
  });

  it("InvalidSchedule: ScheduleOffset without cron or without ApplyOnlyAtCronInterval, ApplyOnlyAtCronInterval with rate", async () => {
    const base = { Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }] };
    expect((await refused({ ...base, ScheduleExpression: "cron(0 2 ? * SUN *)", ScheduleOffset: 1 })).type).toBe(
      "InvalidSchedule",
    );
    expect(
      (await refused({ ...base, ScheduleExpression: "rate(1 day)", ScheduleOffset: 1, ApplyOnlyAtCronInterval: true }))
        .type,
    ).toBe("InvalidSchedule");
    expect((await refused({ ...base, ScheduleExpression: "rate(1 day)", ApplyOnlyAtCronInterval: true })).type).toBe(
      "InvalidSchedule",
    );
  });

  it("InvalidOutputLocation: bucket names S3 would refuse", async () => {
    for (const bucket of ["My_Bucket", "192.168.1.1", "a..b", "-abc", "xn--bucket"]) {
      const OutputLocation = { S3Location: { OutputS3BucketName: bucket } };
      expect(
        (await refused({ Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }], OutputLocation })).type,
      ).toBe("InvalidOutputLocation");
    }
  });

  it("InvalidTag: keys AWS reserves", async () => {
    expect(
      (
        await refused({
          Name: "linux-only",
          Targets: [{ Key: "tag:a", Values: ["b"] }],
          Tags: [{ Key: "aws:owner", Value: "x" }],
        })
      ).type,
    ).toBe("InvalidTag");
  });

  it("refuses the members a legacy InstanceId association can't have", async () => {
    for (const extra of [
      { AssociationName: "named" },
      { DocumentVersion: "1" },
      { MaxErrors: "1" },
      { MaxConcurrency: "1" },
      { OutputLocation: { S3Location: { OutputS3BucketName: "bucket-ok" } } },
      { ScheduleExpression: "rate(1 day)" },
      { Targets: [{ Key: "InstanceIds", Values: [LINUX] }] },
    ]) {
      expect(
        (await refused({ Name: "AWS-UpdateSSMAgent", InstanceId: WINDOWS, ...extra })).type,
        JSON.stringify(extra),
      ).toBe("ValidationException");
    }
  });

  it("ValidationException from the model: more than five targets, bad MaxConcurrency", async () => {
    const Targets = Array.from({ length: 6 }, (_, i) => ({ Key: `tag:k${i}`, Values: ["v"] }));
    expect((await refused({ Name: "linux-only", Targets })).type).toBe("ValidationException");
    expect(
      (await refused({ Name: "linux-only", Targets: [{ Key: "tag:a", Values: ["b"] }], MaxConcurrency: "0" })).message,
    ).toContain("at 'maxConcurrency' failed to satisfy constraint");
  });
});
