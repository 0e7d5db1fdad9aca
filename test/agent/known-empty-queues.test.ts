/**
 * `npm start`'s known-empty queues through the real handlers (shared/domain/messages/mailbox.ts,
 * infra/local/start.ts): a replayed SSM Agent's empty polls (test/support/run-command-agent.ts,
 * GetMessages as agent/runcommand/mds/service.go sends it) cost no DynamoDB read once its queue
 * was read empty, and a command sent through SendCommand still reaches it at once and runs; the
 * queue, empty again after the agent's replies, is read once more and then trusted again. The
 * handlers' DynamoDB calls are counted at the wire.
 */
import { describe, expect, it } from "vitest";
import { meterCalls } from "../support/call-meter.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

// npm start's settings, its hold shortened: re-read only at the next poll, an empty queue trusted.
const server = useLocalEndpoint({
  messagePollHoldMs: 200,
  messagePollRereadMs: 200,
  messageQueueEmptyTrustMs: 60_000,
});

describe("an agent's polls of a queue known empty (npm start)", () => {
  it("read nothing, and a command sent meanwhile is delivered, run and settled", async () => {
    const agent = await ReplayedAgent.register(server);
    const meter = meterCalls(server.table.db);
    const queueReads = () => meter.calls.filter((name) => name === "Query").length;
    expect(await agent.poll()).toEqual([]);
    meter.reset();
    expect(await agent.poll()).toEqual([]);
    expect(await agent.poll()).toEqual([]);
    expect(queueReads()).toBe(0);

    const { Command } = await call("SendCommand", {
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [agent.instanceId],
      Parameters: { commands: ["uname -a"] },
    });
    const message = await agent.next(1);
    expect(message.MessageId).toBe(`aws.ssm.${Command.CommandId}.${agent.instanceId}`);
    const payload = await agent.receive(message);
    await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: "Linux\n" }));
    expect(
      await call("GetCommandInvocation", { CommandId: Command.CommandId, InstanceId: agent.instanceId }),
    ).toMatchObject({ Status: "Success", StandardOutputContent: "Linux\n" });

    // Settled and taken off: the next poll reads the (empty) queue once, the ones after it none.
    meter.reset();
    expect(await agent.poll()).toEqual([]);
    expect(queueReads()).toBe(1);
    expect(await agent.poll()).toEqual([]);
    expect(queueReads()).toBe(1);
  });
});
