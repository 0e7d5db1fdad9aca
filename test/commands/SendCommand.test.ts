/**
 * SendCommand's checks, errors and echo, through the real handler (the delivery and the agent's
 * side are in run-command.test.ts). Every refused request writes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { publishedSendCommandOutput } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
let linux: ManagedNode;
let tagged: ManagedNode;

beforeAll(async () => {
  table = await freshTable();
  linux = await ManagedNode.register();
  tagged = await ManagedNode.register([{ Key: "ENV", Value: "Dev" }]);
});

const shell = { DocumentName: "AWS-RunShellScript", Parameters: { commands: ["echo HelloWorld"] } };

/** Items a command writes (a refused request writes none of them). */
const commandItems = async () =>
  (await table.items()).filter((item) => String(item.PK).startsWith("CMD#") || String(item.PK).startsWith("MSGQ#"));

describe("SendCommand", () => {
  it("answers as AWS's published example 1 (send-command.rst): the command, Pending, with every member", async () => {
    // `Key=instanceids` (lower case) is the InstanceIds member: AWS answers InstanceIds and no Targets.
    const { Command } = await call("SendCommand", {
      ...shell,
      Targets: [{ Key: "instanceids", Values: [linux.id] }],
      Comment: "echo HelloWorld",
    });
    expect(Command).toEqual(publishedSendCommandOutput(linux.id, expect));
    expect(Command.ExpiresAfter - Command.RequestedDateTime).toBe(7200);
  });

  it("targets by tag, and every node with InstanceIds=*", async () => {
    const byTag = await call("SendCommand", { ...shell, Targets: [{ Key: "tag:ENV", Values: ["Dev"] }] });
    expect(byTag.Command).toMatchObject({
      TargetCount: 1,
      Targets: [{ Key: "tag:ENV", Values: ["Dev"] }],
      InstanceIds: [],
    });
    const byKey = await call("SendCommand", { ...shell, Targets: [{ Key: "tag-key", Values: ["ENV"] }] });
    expect(byKey.Command.TargetCount).toBe(1);
    const every = await call("SendCommand", { ...shell, Targets: [{ Key: "InstanceIds", Values: ["*"] }] });
    expect(every.Command.TargetCount).toBeGreaterThanOrEqual(2);
    const none = await call("SendCommand", { ...shell, Targets: [{ Key: "tag:ENV", Values: ["Nowhere"] }] });
    expect(none.Command).toMatchObject({ TargetCount: 0, Status: "Success", StatusDetails: "NoInstancesInTag" });
  });

  it("stores and echoes the rate controls, outputs, notifications, role, alarms and timeout as given", async () => {
    const { Command } = await call("SendCommand", {
      ...shell,
      InstanceIds: [linux.id, tagged.id],
      MaxConcurrency: "50%",
      MaxErrors: "1",
      TimeoutSeconds: 600,
      OutputS3BucketName: "my-bucket",
      OutputS3KeyPrefix: "runs",
      OutputS3Region: "us-east-2",
      ServiceRoleArn: "arn:aws:iam::123456789012:role/SNS_Role",
      NotificationConfig: {
        NotificationArn: "arn:aws:sns:us-east-1:123456789012:SNSTopicName",
        NotificationEvents: ["All"],
        NotificationType: "Command",
      },
      CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: "CWLGroupName" },
      AlarmConfiguration: { Alarms: [{ Name: "my-alarm" }], IgnorePollAlarmFailure: true },
    });
    expect(Command).toMatchObject({
      MaxConcurrency: "50%",
      MaxErrors: "1",
      TimeoutSeconds: 600,
      OutputS3BucketName: "my-bucket",
      OutputS3KeyPrefix: "runs",
      OutputS3Region: "us-east-2",
      ServiceRole: "arn:aws:iam::123456789012:role/SNS_Role",
      NotificationConfig: { NotificationEvents: ["All"], NotificationType: "Command" },
      CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: "CWLGroupName" },
      AlarmConfiguration: { Alarms: [{ Name: "my-alarm" }], IgnorePollAlarmFailure: true },
      TargetCount: 2,
    });
    const [listed] = (await call("ListCommands", { CommandId: Command.CommandId })).Commands;
    expect(listed).toEqual(Command);
  });

  it("refuses, writing nothing, with AWS's errors", async () => {
    const before = (await commandItems()).length;
    const refusals: [Record<string, unknown>, string, RegExp | string | undefined][] = [
      [
        { ...shell, InstanceIds: ["mi-0123456789abcdef0"] },
        "InvalidInstanceId",
        /^Instances \[\[mi-0123456789abcdef0\]\] not in a valid state for account 000000000000$/,
      ],
      [{ ...shell, InstanceIds: [linux.id, linux.id] }, "DuplicateInstanceId", undefined],
      [
        { ...shell, InstanceIds: [linux.id], Targets: [{ Key: "tag:ENV", Values: ["Dev"] }] },
        "ValidationException",
        undefined,
      ],
      [{ ...shell }, "ValidationException", undefined],
      [{ ...shell, Targets: [{ Key: "resource-groups:Name", Values: ["g"] }] }, "InvalidParameters", /resource groups/],
      [{ ...shell, Targets: [{ Key: "Environment", Values: ["g"] }] }, "InvalidParameters", undefined],
      [
        { DocumentName: "AWS-RunShellScript", InstanceIds: [linux.id] },
        "InvalidParameters",
        'Parameter "commands" requires a value.',
      ],
      [
        { ...shell, Parameters: { commands: ["x"], nope: ["y"] }, InstanceIds: [linux.id] },
        "InvalidParameters",
        undefined,
      ],
      [{ ...shell, DocumentName: "no-such-document", InstanceIds: [linux.id] }, "InvalidDocument", undefined],
      [
        { ...shell, DocumentName: "AWS-GatherSoftwareInventory", InstanceIds: [linux.id] },
        "InvalidDocument",
        undefined,
      ],
      [{ ...shell, DocumentVersion: "9", InstanceIds: [linux.id] }, "InvalidDocumentVersion", undefined],
      [
        { ...shell, DocumentHash: "00", DocumentHashType: "Sha256", InstanceIds: [linux.id] },
        "InvalidDocument",
        undefined,
      ],
      [{ ...shell, ServiceRoleArn: "not-a-role", InstanceIds: [linux.id] }, "InvalidRole", undefined],
      [
        {
          ...shell,
          NotificationConfig: { NotificationArn: "arn:aws:sns:us-east-1:123456789012:t" },
          InstanceIds: [linux.id],
        },
        "InvalidNotificationConfig",
        undefined,
      ],
      [{ ...shell, TimeoutSeconds: 10, InstanceIds: [linux.id] }, "ValidationException", undefined],
      [{ ...shell, MaxConcurrency: "0", InstanceIds: [linux.id] }, "ValidationException", undefined],
      [{ ...shell, Comment: "x".repeat(101), InstanceIds: [linux.id] }, "ValidationException", undefined],
    ];
    for (const [request, type, message] of refusals) {
      const answer = await fails("SendCommand", request);
      expect(answer.type, JSON.stringify(request)).toBe(type);
      if (message instanceof RegExp) expect(answer.message).toMatch(message);
      else if (message !== undefined) expect(answer.message).toBe(message);
    }
    expect((await commandItems()).length).toBe(before);
  });

  it("the document's own hash is accepted, and a shared one by ARN", async () => {
    const { Hash } = (await call("DescribeDocument", { Name: "AWS-RunShellScript" })).Document;
    const { Command } = await call("SendCommand", {
      ...shell,
      InstanceIds: [linux.id],
      DocumentHash: Hash,
      DocumentHashType: "Sha256",
      DocumentVersion: "1",
    });
    expect(Command.DocumentVersion).toBe("1");
  });

  it("node credentials may not send a command (not in AmazonSSMManagedInstanceCore)", async () => {
    const answer = await invoke("SendCommand", { ...shell, InstanceIds: [linux.id] }, { identity: linux.identity });
    expect(answer.body.__type).toBe("AccessDeniedException");
    expect(answer.body.message).toMatch(/is not authorized to perform: ssm:SendCommand/);
  });
});
