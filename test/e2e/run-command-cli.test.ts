/**
 * AWS's published Run Command examples (the aws CLI's awscli/examples/ssm: send-command.rst,
 * list-commands.rst, list-command-invocations.rst, get-command-invocation.rst,
 * cancel-command.rst) through the real `aws` CLI against the local server, with replayed SSM
 * Agents (test/support/run-command-agent.ts) polling the message channel and completing each
 * command. The examples' instance ids are replaced by the registered nodes' ids; nothing else is
 * changed. Examples 4 and 5 of send-command name an SNS topic, an S3 bucket and a CloudWatch Logs
 * group: the command stores and echoes them and hands the bucket and log group to the agent (which
 * writes there with its own credentials); this service publishes no SNS notification (docs/runs.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, type CliResult, useLocalEndpoint } from "../support/endpoint.ts";
import { commandContent, publishedSendCommandOutput } from "../support/fixtures.ts";
import { call } from "../support/invoke.ts";
import { ReplayedAgent } from "../support/run-command-agent.ts";

const CLI_TIMEOUT = 180_000;
const server = useLocalEndpoint({ messagePollHoldMs: 1000 });

let dev: ReplayedAgent;
let test: ReplayedAgent;
let stopped = false;
const running: Promise<void>[] = [];

/** An agent's loop: poll (held), receive, run what it gets: every command succeeds, printing HelloWorld. */
async function agentLoop(agent: ReplayedAgent): Promise<void> {
  while (!stopped) {
    for (const message of await agent.poll()) {
      const payload = await agent.receive(message);
      if (payload) {
        await agent.run(
          message,
          payload,
          Object.fromEntries(
            ["aws:runShellScript", "aws:runPowerShellScript", "first"].map((id) => [id, { stdout: "HelloWorld\n" }]),
          ),
        );
      }
    }
  }
}

const aws = (...args: string[]) => awsCli(server.url, args, { output: "json" });

function json(result: CliResult) {
  if (result.code !== 0) throw new Error(`aws ssm exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim() === "" ? undefined : JSON.parse(result.stdout);
}

/** Until the command is done on every node (the replayed agents run it). */
async function finished(commandId: string) {
  for (let i = 0; i < 100; i++) {
    const [command] = (await call("ListCommands", { CommandId: commandId })).Commands;
    if (command.CompletedCount === command.TargetCount) return command;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`command ${commandId} did not finish`);
}

beforeAll(async () => {
  [dev, test] = await Promise.all([ReplayedAgent.register(server), ReplayedAgent.register(server)]);
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: dev.instanceId,
    Tags: [
      { Key: "ENV", Value: "Dev" },
      { Key: "Env", Value: "Dev" },
      { Key: "Role", Value: "WebServers" },
    ],
  });
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: test.instanceId,
    Tags: [{ Key: "Env", Value: "Test" }],
  });
  // Example 8's shared document: account 123456789012's ExampleDocument, shared with ours.
  await server.table.accounts.createAccount("123456789012");
  const key = await server.table.accounts.createAccessKey("123456789012");
  const owner = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: "us-east-1" };
  await call("CreateDocument", { Name: "ExampleDocument", Content: commandContent("shared") }, { identity: owner });
  await call(
    "ModifyDocumentPermission",
    { Name: "ExampleDocument", PermissionType: "Share", AccountIdsToAdd: ["000000000000"] },
    { identity: owner },
  );
  running.push(agentLoop(dev), agentLoop(test));
});

afterAll(async () => {
  stopped = true;
  await Promise.all(running);
});

const sent: string[] = [];

describe("send-command (send-command.rst)", { timeout: CLI_TIMEOUT }, () => {
  it("example 1: a target keyed instanceids, answered as the published output", async () => {
    const { Command } = json(
      await aws(
        "send-command",
        "--document-name",
        "AWS-RunShellScript",
        "--parameters",
        'commands=["echo HelloWorld"]',
        "--targets",
        `Key=instanceids,Values=${dev.instanceId}`,
        "--comment",
        "echo HelloWorld",
      ),
    );
    expect(Command).toEqual(publishedSendCommandOutput(dev.instanceId, expect));
    expect(Command.ExpiresAfter - Command.RequestedDateTime).toBe(7200);
    sent.push(Command.CommandId);
    expect(await finished(Command.CommandId)).toMatchObject({ Status: "Success", CompletedCount: 1 });
  });

  const examples: [string, () => string[], number][] = [
    [
      "example 2: --instance-ids",
      () => [
        "--instance-ids",
        dev.instanceId,
        "--document-name",
        "AWS-RunShellScript",
        "--comment",
        "IP config",
        "--parameters",
        "commands=ifconfig",
      ],
      1,
    ],
    [
      "example 3: a tag",
      () => [
        "--targets",
        "Key=tag:ENV,Values=Dev",
        "--document-name",
        "AWS-RunShellScript",
        "--parameters",
        "commands=ifconfig",
      ],
      1,
    ],
    [
      "example 4: SNS notifications (stored and echoed)",
      () => [
        "--instance-ids",
        dev.instanceId,
        "--document-name",
        "AWS-RunShellScript",
        "--comment",
        "IP config",
        "--parameters",
        "commands=ifconfig",
        "--service-role-arn",
        "arn:aws:iam::123456789012:role/SNS_Role",
        "--notification-config",
        "NotificationArn=arn:aws:sns:us-east-1:123456789012:SNSTopicName,NotificationEvents=All,NotificationType=Command",
      ],
      1,
    ],
    [
      "example 5: output to S3 and CloudWatch (handed to the agent)",
      () => [
        "--instance-ids",
        dev.instanceId,
        "--document-name",
        "AWS-RunShellScript",
        "--comment",
        "IP config",
        "--parameters",
        "commands=ifconfig",
        "--output-s3-bucket-name",
        "s3-bucket-name",
        "--output-s3-key-prefix",
        "runcommand",
        "--cloud-watch-output-config",
        "CloudWatchOutputEnabled=true,CloudWatchLogGroupName=CWLGroupName",
      ],
      1,
    ],
    [
      "example 6: two tags",
      () => [
        "--document-name",
        "AWS-RunPowerShellScript",
        "--parameters",
        'commands=["echo helloWorld"]',
        "--targets",
        "Key=tag:Env,Values=Dev",
        "Key=tag:Role,Values=WebServers",
      ],
      1,
    ],
    [
      "example 7: one tag key, two values",
      () => [
        "--document-name",
        "AWS-RunPowerShellScript",
        "--parameters",
        'commands=["echo helloWorld"]',
        "--targets",
        "Key=tag:Env,Values=Dev,Test",
      ],
      2,
    ],
    [
      "example 8: a shared document by ARN",
      () => [
        "--document-name",
        "arn:aws:ssm:us-east-1:123456789012:document/ExampleDocument",
        "--targets",
        `Key=instanceids,Values=${dev.instanceId}`,
      ],
      1,
    ],
  ];

  for (const [title, args, targets] of examples) {
    it(title, async () => {
      const { Command } = json(await aws("send-command", ...args()));
      expect(Command).toMatchObject({ Status: "Pending", TargetCount: targets });
      sent.push(Command.CommandId);
      expect(await finished(Command.CommandId)).toMatchObject({ Status: "Success", CompletedCount: targets });
    });
  }

  it("example 4 and 5 echo what they were given", async () => {
    const [, , , four, five] = sent;
    const [notified] = (await call("ListCommands", { CommandId: four })).Commands;
    expect(notified).toMatchObject({
      ServiceRole: "arn:aws:iam::123456789012:role/SNS_Role",
      NotificationConfig: {
        NotificationArn: "arn:aws:sns:us-east-1:123456789012:SNSTopicName",
        NotificationEvents: ["All"],
        NotificationType: "Command",
      },
    });
    const [output] = (await call("ListCommands", { CommandId: five })).Commands;
    expect(output).toMatchObject({
      OutputS3BucketName: "s3-bucket-name",
      OutputS3KeyPrefix: "runcommand",
      CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: "CWLGroupName" },
    });
  });
});

describe("list-commands (list-commands.rst)", { timeout: CLI_TIMEOUT }, () => {
  it("example 1: one command by id", async () => {
    const { Commands } = json(await aws("list-commands", "--command-id", sent[0] as string));
    expect(Commands).toHaveLength(1);
    expect(Commands[0]).toMatchObject({ CommandId: sent[0], Status: "Success", StatusDetails: "Success" });
  });

  it("example 2: commands requested after a date", async () => {
    const { Commands } = json(await aws("list-commands", "--filter", "key=InvokedAfter,value=2020-02-01T00:00:00Z"));
    expect(Commands.map((c: { CommandId: string }) => c.CommandId)).toEqual([...sent].reverse());
  });

  it("example 3: every command, with the published members", async () => {
    const { Commands } = json(await aws("list-commands"));
    expect(Commands).toHaveLength(sent.length);
    for (const command of Commands) {
      expect(Object.keys(command)).toEqual(
        expect.arrayContaining([
          "CommandId",
          "DocumentName",
          "DocumentVersion",
          "Comment",
          "ExpiresAfter",
          "Parameters",
          "InstanceIds",
          "Targets",
          "RequestedDateTime",
          "Status",
          "StatusDetails",
          "OutputS3BucketName",
          "OutputS3KeyPrefix",
          "MaxConcurrency",
          "MaxErrors",
          "TargetCount",
          "CompletedCount",
          "ErrorCount",
          "DeliveryTimedOutCount",
          "ServiceRole",
          "NotificationConfig",
          "CloudWatchOutputConfig",
        ]),
      );
    }
  });
});

describe("list-command-invocations and get-command-invocation (their .rst pages)", { timeout: CLI_TIMEOUT }, () => {
  it("list-command-invocations --details: each invocation with its plugin and output", async () => {
    const { CommandInvocations } = json(
      await aws("list-command-invocations", "--command-id", sent[0] as string, "--details"),
    );
    expect(CommandInvocations).toEqual([
      {
        CommandId: sent[0],
        InstanceId: dev.instanceId,
        InstanceName: "",
        Comment: "echo HelloWorld",
        DocumentName: "AWS-RunShellScript",
        DocumentVersion: "",
        RequestedDateTime: expect.any(Number),
        Status: "Success",
        StatusDetails: "Success",
        StandardOutputUrl: "",
        StandardErrorUrl: "",
        CommandPlugins: [
          {
            Name: "aws:runShellScript",
            Status: "Success",
            StatusDetails: "Success",
            ResponseCode: 0,
            ResponseStartDateTime: expect.any(Number),
            ResponseFinishDateTime: expect.any(Number),
            Output: "HelloWorld\n",
            StandardOutputUrl: "",
            StandardErrorUrl: "",
            OutputS3Region: "us-east-1",
            OutputS3BucketName: "",
            OutputS3KeyPrefix: "",
          },
        ],
        ServiceRole: "",
        NotificationConfig: { NotificationArn: "", NotificationEvents: [], NotificationType: "" },
        CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
      },
    ]);
  });

  it("get-command-invocation: the node's output, times as text and the elapsed time as a duration", async () => {
    const result = json(
      await aws("get-command-invocation", "--command-id", sent[0] as string, "--instance-id", dev.instanceId),
    );
    expect(result).toEqual({
      CommandId: sent[0],
      InstanceId: dev.instanceId,
      Comment: "echo HelloWorld",
      DocumentName: "AWS-RunShellScript",
      DocumentVersion: "",
      PluginName: "aws:runShellScript",
      ResponseCode: 0,
      ExecutionStartDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ExecutionElapsedTime: "PT0.005S",
      ExecutionEndDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      Status: "Success",
      StatusDetails: "Success",
      StandardOutputContent: "HelloWorld\n",
      StandardOutputUrl: "",
      StandardErrorContent: "",
      StandardErrorUrl: "",
      CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
    });
  });
});

describe("cancel-command (cancel-command.rst)", { timeout: CLI_TIMEOUT }, () => {
  it("example 1: for every node, no output; example 2: for one node, no output", async () => {
    const all = await aws("cancel-command", "--command-id", sent[0] as string);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trim()).toBe("");
    const one = await aws("cancel-command", "--command-id", sent[6] as string, "--instance-ids", dev.instanceId);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.trim()).toBe("");
    // Both had finished: a cancel changes nothing then.
    expect((await call("ListCommands", { CommandId: sent[0] })).Commands[0].Status).toBe("Success");
  });
});
