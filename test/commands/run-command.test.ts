/**
 * Run Command end to end (issue 27): SendCommand through the real handlers, delivered over
 * ec2messages to replayed SSM Agents (test/support/run-command-agent.ts replays the agent's exact
 * calls and payloads from its source, docs/message-channel.md) through the local endpoint, and
 * what ListCommands, ListCommandInvocations and GetCommandInvocation then show.
 */
import { describe, expect, it } from "vitest";
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
    // The same final reply again (the agent resends a reply it could not send, from disk).
    await agent.reply(message.MessageId, replyPayload("Failed", null, null));
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

describe("multi-step documents, cancel, timeouts", () => {
  it("a multi-step document: each step's result from the agent's intermediate replies (the final one carries none)", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    await call("CreateDocument", {
      Name: "two-steps",
      DocumentType: "Command",
      Content: JSON.stringify({
        schemaVersion: "2.2",
        description: "two steps",
        mainSteps: [
          { action: "aws:runShellScript", name: "first", inputs: { runCommand: ["echo one"] } },
          { action: "aws:runShellScript", name: "second", inputs: { runCommand: ["echo two"] } },
        ],
      }),
    });
    const { Command } = await call("SendCommand", { DocumentName: "two-steps", InstanceIds: [agent.instanceId] });
    await agent.handleNext({ first: { stdout: "one\n" }, second: { status: "Failed", code: 2, stderr: "two failed" } });
    expect(await invocation(Command.CommandId, agent.instanceId, "first")).toMatchObject({
      PluginName: "first",
      Status: "Success",
      StandardOutputContent: "one\n",
      ResponseCode: 0,
    });
    expect(await invocation(Command.CommandId, agent.instanceId, "second")).toMatchObject({
      Status: "Failed",
      StandardErrorContent: "two failed",
      ResponseCode: 2,
    });
    expect(
      await fails("GetCommandInvocation", {
        CommandId: Command.CommandId,
        InstanceId: agent.instanceId,
        PluginName: "third",
      }),
    ).toMatchObject({ type: "InvalidPluginName" });
    const { CommandInvocations } = await call("ListCommandInvocations", {
      CommandId: Command.CommandId,
      Details: true,
    });
    expect(CommandInvocations[0]).toMatchObject({ Status: "Failed", StatusDetails: "Failed" });
    expect(
      CommandInvocations[0].CommandPlugins.map((p: { Name: string; Status: string; Output: string }) => [
        p.Name,
        p.Status,
        p.Output,
      ]),
    ).toEqual([
      ["first", "Success", "one\n"],
      ["second", "Failed", "\n----------ERROR-------\ntwo failed"],
    ]);
  });

  it("cancel while in flight: Cancelling, a cancel message naming the original message, then the agent's Cancelled", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId], Parameters: { commands: ["sleep 600"] } });
    const message = await agent.next();
    const payload = await agent.receive(message);
    await call("CancelCommand", { CommandId: Command.CommandId });
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({ Status: "Cancelling" });
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Cancelling" });
    const cancel = await agent.next();
    expect(cancel.Topic).toBe("aws.ssm.cancelCommand.us.east.1.1");
    expect(JSON.parse(cancel.Payload)).toEqual({ CancelMessageId: message.MessageId });
    expect(cancel.MessageId).not.toBe(message.MessageId);
    await agent.receive(cancel);
    // The killed process: status Cancelled, code 137 (pluginutil GetStatus, constants_unix.go).
    await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ status: "Cancelled", code: 137 }));
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "Cancelled",
      StatusDetails: "Cancelled",
      ResponseCode: 137,
    });
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Cancelled", CompletedCount: 1 });
  });

  it("cancel before delivery: Cancelled at once, and the node never gets the message", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId] });
    await call("CancelCommand", { CommandId: Command.CommandId, InstanceIds: [agent.instanceId] });
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({ Status: "Cancelled" });
    expect(await agent.poll()).toEqual([]);
    expect(
      await fails("CancelCommand", { CommandId: Command.CommandId, InstanceIds: ["mi-0123456789abcdef0"] }),
    ).toMatchObject({
      type: "InvalidInstanceId",
    });
  });

  it("delivery timeout: a node that never polls is DeliveryTimedOut once TimeoutSeconds pass (the scheduler's tick)", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId], TimeoutSeconds: 30 });
    const { services } = server.table;
    expect(await services.commandProgress.settleDue(new Date(Date.now() + 5_000))).toBe(0);
    expect(await services.commandProgress.settleDue(new Date(Date.now() + 31_000))).toBeGreaterThanOrEqual(1);
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "TimedOut",
      StatusDetails: "DeliveryTimedOut",
      ResponseCode: -1,
    });
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "TimedOut",
      StatusDetails: "DeliveryTimedOut",
      DeliveryTimedOutCount: 1,
      CompletedCount: 1,
      ErrorCount: 0,
    });
    // Its message is gone: the node, polling late, gets nothing.
    expect(await agent.poll()).toEqual([]);
  });

  it("a node deregistered before it got the command is Undeliverable (ResponseCode -1), and the command Failed", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId], TimeoutSeconds: 30 });
    await call("DeregisterManagedInstance", { InstanceId: agent.instanceId });
    await server.table.services.commandProgress.settleDue(new Date(Date.now() + 31_000));
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "Failed",
      StatusDetails: "Undeliverable",
      ResponseCode: -1,
    });
    // "if all invocations are Undeliverable, the command status returned is Failed"
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Failed", CompletedCount: 1, ErrorCount: 0 });
  });

  it("FailMessage (the agent could not handle the message): the invocation Failed, the message never back", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId] });
    const message = await agent.next();
    await agent.failMessage(message.MessageId);
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({ Status: "Failed", ResponseCode: -1 });
    expect(await agent.poll()).toEqual([]);
  });

  it("execution timeout: the agent's TimedOut is ExecutionTimedOut, an error", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({
      InstanceIds: [agent.instanceId],
      Parameters: { commands: ["sleep 100"], executionTimeout: ["30"] },
    });
    await agent.handleNext(shellOutcome({ status: "TimedOut", code: 137 }));
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "TimedOut",
      StatusDetails: "ExecutionTimedOut",
      ResponseCode: 137,
    });
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "TimedOut",
      StatusDetails: "ExecutionTimedOut",
      ErrorCount: 1,
    });
  });
});

describe("rate controls", () => {
  it("MaxConcurrency 2 over 10 nodes: never more than 2 out at once, and all 10 run", async () => {
    const fleet = await agents(10);
    const { Command } = await send({ InstanceIds: fleet.map((a) => a.instanceId), MaxConcurrency: "2" });
    let out = 0;
    let most = 0;
    await Promise.all(
      fleet.map(async (agent) => {
        const message = await agent.next();
        const payload = await agent.receive(message);
        out++;
        most = Math.max(most, out);
        await new Promise((resolve) => setTimeout(resolve, 20));
        out--;
        await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: agent.instanceId }));
      }),
    );
    expect(most).toBe(2);
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "Success",
      CompletedCount: 10,
      TargetCount: 10,
    });
  });

  it("MaxErrors 0 stops after the first error: the rest are Terminated and never sent", async () => {
    const fleet = await agents(3);
    const ids = fleet.map((a) => a.instanceId).sort();
    const first = fleet.find((a) => a.instanceId === ids[0]) as ReplayedAgent;
    const { Command } = await send({ InstanceIds: ids, MaxConcurrency: "1", MaxErrors: "0" });
    await first.handleNext(shellOutcome({ status: "Failed", code: 1 }));
    for (const agent of fleet.filter((a) => a !== first)) {
      expect(await agent.poll()).toEqual([]);
      expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
        Status: "Cancelled",
        StatusDetails: "Terminated",
      });
    }
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "Failed",
      StatusDetails: "Failed",
      ErrorCount: 1,
      CompletedCount: 3,
    });
  });

  it("MaxErrors 1 stops at the second error", async () => {
    const fleet = await agents(4);
    const byId = new Map(fleet.map((a) => [a.instanceId, a]));
    const ids = [...byId.keys()].sort();
    const { Command } = await send({ InstanceIds: ids, MaxConcurrency: "1", MaxErrors: "1" });
    for (const id of ids.slice(0, 2)) await byId.get(id)?.handleNext(shellOutcome({ status: "Failed" }));
    for (const id of ids.slice(2)) {
      expect(await invocation(Command.CommandId, id)).toMatchObject({ StatusDetails: "Terminated" });
    }
    expect(await commandOf(Command.CommandId)).toMatchObject({ Status: "Failed", ErrorCount: 2, CompletedCount: 4 });
  });

  it("50 replayed nodes replying at once: no reply refused, every count exact", async () => {
    const fleet = await agents(50);
    const { Command } = await send({ InstanceIds: fleet.map((a) => a.instanceId), MaxErrors: "100%" });
    const failing = new Set(fleet.filter((_, i) => i % 5 === 0).map((a) => a.instanceId));
    await Promise.all(
      fleet.map((agent) =>
        agent.handleNext(
          shellOutcome(failing.has(agent.instanceId) ? { status: "Failed", code: 1 } : { stdout: "ok" }),
        ),
      ),
    );
    expect(fleet.flatMap((a) => a.calls).filter((c) => c.status !== 200)).toEqual([]);
    expect(await commandOf(Command.CommandId)).toMatchObject({
      Status: "Failed",
      TargetCount: 50,
      CompletedCount: 50,
      ErrorCount: 10,
      DeliveryTimedOutCount: 0,
    });
    const { CommandInvocations } = await call("ListCommandInvocations", {
      CommandId: Command.CommandId,
      MaxResults: 50,
    });
    expect(CommandInvocations.filter((i: { Status: string }) => i.Status === "Success")).toHaveLength(40);
  });
});

describe("delivery", () => {
  it("a held poll answers as soon as a command for its node is written (the in-process wake-up, not the 1 s re-read)", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const polled = agent.poll();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send({ InstanceIds: [agent.instanceId] });
    const sent = Date.now();
    const [message] = await polled;
    expect(message).toBeDefined();
    expect(Date.now() - sent).toBeLessThan(700);
    if (message) await agent.receive(message);
  });

  it("a message handed out but not settled comes back after its visibility timeout, its invocation Delayed until the agent has it; acknowledged, never again", async () => {
    const [agent] = await agents(1);
    if (!agent) throw new Error("no agent");
    const { Command } = await send({ InstanceIds: [agent.instanceId] });
    const poll = async () =>
      JSON.parse(
        (
          await agent.call("GetMessages", {
            Destination: agent.instanceId,
            MessagesRequestId: crypto.randomUUID(),
            VisibilityTimeoutInSeconds: 1,
          })
        ).body,
      ).Messages as { MessageId: string }[];
    const [first] = await poll();
    expect(first).toBeDefined();
    // Hidden for 1 s: the next poll (held) gets it only once it is visible again.
    const polled = Date.now();
    const again = await poll();
    expect(again.map((m) => m.MessageId)).toEqual([first?.MessageId]);
    expect(Date.now() - polled).toBeGreaterThanOrEqual(500);
    // "Delayed: The system attempted to send the command to the managed node but wasn't
    // successful. The system retries again." (Understanding command statuses)
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "Delayed",
      StatusDetails: "Delayed",
    });
    await agent.acknowledge(first?.MessageId as string);
    expect(await poll()).toEqual([]);
    expect(await invocation(Command.CommandId, agent.instanceId)).toMatchObject({
      Status: "InProgress",
      StatusDetails: "InProgress",
    });
  });
});
