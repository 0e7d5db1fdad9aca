/**
 * Run Command end to end (issue 27): SendCommand through the real handlers, delivered over
 * ec2messages to replayed SSM Agents (test/support/run-command-agent.ts replays the agent's exact
 * calls and payloads from its source, docs/message-channel.md) through the local endpoint, and
 * what ListCommands, ListCommandInvocations and GetCommandInvocation then show.
 */
import { describe, expect, it } from "vitest";
import { createRuntime } from "../../shared/runtime.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call, fails } from "../support/invoke.ts";
import { ReplayedAgent, replyPayload, shellOutcome } from "../support/run-command-agent.ts";

// A poll is held up to 2 s, and answers as soon as a message for its node is written.
const server = useLocalEndpoint({ messagePollHoldMs: 2000 });

const agents = (count: number) => Promise.all(Array.from({ length: count }, () => ReplayedAgent.register(server)));

const send = (request: Record<string, unknown>) =>
  call("SendCommand", { DocumentName: "AWS-RunShellScript", Parameters: { commands: ["uname -a"] }, ...request });

const invocation = (commandId: string, instanceId: string, pluginName?: string) =>
  call("GetCommandInvocation", { CommandId: commandId, InstanceId: instanceId, PluginName: pluginName });

const commandOf = async (commandId: string) => (await call("ListCommands", { CommandId: commandId })).Commands[0];

describe("SendCommand to a replayed agent", () => {
  it("runs: the agent's sequence (poll, InProgress reply, acknowledge, plugin reply, final reply), its output readable", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId], Comment: "uname" });
    expect(Command).toMatchObject({ Status: "Pending", StatusDetails: "Pending", TargetCount: 1, CompletedCount: 0 });
    const message = await agent.next();
    expect(message.MessageId).toBe(`aws.ssm.${Command.CommandId}.${agent.instanceId}`);
    expect(message.Topic).toBe("aws.ssm.sendCommand.us.east.1.1");
    const payload = await agent.receive(message);
    expect(payload?.Parameters).toEqual({ commands: ["uname -a"] });
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "InProgress",
      StatusDetails: "InProgress",
    });
    await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: "Linux node 6.1\n" }));
    expect(agent.calls.map((c) => c.operation)).toEqual([
      "GetMessages",
      "SendReply",
      "AcknowledgeMessage",
      "SendReply",
      "SendReply",
    ]);
    const result = await invocation(Command.CommandId, agent.instanceId);
    expect(result).toMatchObject({
      Status: "Success",
      StatusDetails: "Success",
      ResponseCode: 0,
      PluginName: "aws:runShellScript",
      StandardOutputContent: "Linux node 6.1\n",
      StandardErrorContent: "",
      Comment: "uname",
    });
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "Success",
      StatusDetails: "Success",
      TargetCount: 1,
      CompletedCount: 1,
      ErrorCount: 0,
      DeliveryTimedOutCount: 0,
    });
  });

  it("a failing command: Failed with its exit code and stderr", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId], Parameters: { commands: ["exit 3"] } });
    await agent.handleNext(shellOutcome({ status: "Failed", code: 3, stderr: "boom\n" }));
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "Failed",
      StatusDetails: "Failed",
      ResponseCode: 3,
      StandardErrorContent: "boom\n",
    });
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Failed", ErrorCount: 1, CompletedCount: 1 });
  });

  it("a duplicate final reply, and a late InProgress one, change nothing", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId] });
    const message = await agent.handleNext(shellOutcome({ stdout: "ok" }));
    const late = await agent.reply(message.MessageId, replyPayload("InProgress", null, null));
    expect(late.ReplyStatus).toBe("NoActionTaken");
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Success", CompletedCount: 1 });
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({ Status: "Success" });
  });

  it("InvocationDoesNotExist for a node the command was not sent to", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId] });
    expect(
      await fails("GetCommandInvocation", { CommandId: Command.CommandId, InstanceId: "mi-0123456789abcdef0" }),
    ).toEqual({
      status: 400,
      type: "InvocationDoesNotExist",
      message: undefined,
    });
    await agent.handleNext();
  });
});

describe("the runtime", () => {
  it("builds", () => {
    expect(createRuntime).toBeTypeOf("function");
  });
});
