/**
 * A run of a document that cannot run as a command (`aws:softwareInventory`: "can only be invoked
 * via ssm-associate", agent/plugins/inventory/inventory.go) pushed as AWS does it: a Run Command
 * command of AWS-RefreshAssociation naming the association (aws-cli's 2017 get-command-invocation
 * example: `DocumentName: AWS-RefreshAssociation`, "Apply association with id at creation time";
 * AWS's inventory workshops: "the execution of AWS-RefreshAssociation, which was performed when you
 * set up inventory"). The agent's side is replayed from its source:
 *
 * - the channel (test/support/run-command-agent.ts): GetMessages, the payload parsed as Go does,
 *   the InProgress reply, AcknowledgeMessage;
 * - the step: parameters replaced as agent/framework/docparser/parameters/parameters.go does (a
 *   string that is exactly `{{ associationIds }}` becomes the parameter's value), the input read
 *   into `RefreshAssociationPluginInput{AssociationIds []string}`
 *   (agent/plugins/refreshassociation/refreshassociation.go);
 * - then, as the step's result comes back (messageservice/messagehandler/processorwrappers/
 *   commandworkerprocessorwrapper.go handleSpecialPlugin): refreshassociation.go refreshAssociation
 *   (ListInstanceAssociations, Pending reported for a named association that is neither InProgress
 *   nor Pending, the scheduler refreshed and signalled), its output, the step's reply and the final
 *   reply; and the association run, through the ported scheduler (test/support/association-agent.ts).
 */
import { describe, expect, it } from "vitest";
import { AssociationAgent } from "../support/association-agent.ts";
import { runOf, targetsOf } from "../support/association-runs.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import {
  type AgentMessage,
  ONE_STEP_SEQUENCE,
  ReplayedAgent,
  type SendCommandPayload,
} from "../support/run-command-agent.ts";

const server = useLocalEndpoint({ messagePollHoldMs: 1000 });

/** A node whose agent has both sides: the channel, and the association scheduler. */
async function node(): Promise<{ channel: ReplayedAgent; scheduler: AssociationAgent }> {
  const channel = await ReplayedAgent.register(server);
  const managed = new ManagedNode(channel.instanceId, channel.identity).via(server);
  return { channel, scheduler: new AssociationAgent(managed) };
}

/** parameters.go ReplaceParameters on the step's inputs, then the plugin's Remarshal into []string. */
function refreshInput(payload: SendCommandPayload): string[] {
  const step = payload.DocumentContent.mainSteps?.[0] as unknown as { action: string; inputs: Record<string, unknown> };
  expect(step.action).toBe("aws:refreshAssociation");
  const replace = (value: unknown): unknown => {
    if (typeof value === "string") {
      for (const [name, parameter] of Object.entries(payload.Parameters)) {
        if (new RegExp(`^{{\\s*${name}\\s*}}$`).test(value)) return parameter;
      }
      return value;
    }
    if (Array.isArray(value)) return value.map(replace);
    return value;
  };
  // Go's json matches `AssociationIds` to the key case-insensitively.
  const [, raw] = Object.entries(step.inputs).find(([key]) => key.toLowerCase() === "associationids") ?? [];
  const ids = replace(raw);
  // jsonutil.Remarshal into []string: anything else fails the step's input, and the agent then
  // applies every association of the node (refreshassociation.go: an empty list means all).
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw new Error(`not []string: ${ids}`);
  return ids;
}

/** The refresh as the agent handles it: the step, the refresh it triggers, the step's and final replies. */
async function handleRefresh(channel: ReplayedAgent, scheduler: AssociationAgent, message: AgentMessage) {
  const payload = (await channel.receive(message)) as SendCommandPayload;
  expect(payload.DocumentName).toBe("AWS-RefreshAssociation");
  const output = await scheduler.refreshAssociations(refreshInput(payload));
  await channel.run(message, payload, { refreshAssociation: { stdout: output } });
  return { payload, output };
}

const commandIdOf = (message: AgentMessage, instanceId: string) =>
  message.MessageId.slice("aws.ssm.".length, -`.${instanceId}`.length);

const inventory = (instanceIds: string[], extra: Record<string, unknown> = {}) =>
  call("CreateAssociation", {
    Name: "AWS-GatherSoftwareInventory",
    Targets: [{ Key: "InstanceIds", Values: instanceIds }],
    ...extra,
  }).then(({ AssociationDescription }) => AssociationDescription.AssociationId as string);

describe("an inventory run pushed as AWS-RefreshAssociation", () => {
  it("CreateAssociation → the node gets AWS-RefreshAssociation naming the association, lists it Pending and runs it once; the refresh's own Success is not the run's", async () => {
    const { channel, scheduler } = await node();
    const id = await inventory([channel.instanceId]);
    const message = await channel.next();
    const commandId = commandIdOf(message, channel.instanceId);
    const run = await runOf(id);
    const { Commands } = await call("ListCommands", { CommandId: commandId });
    expect(Commands).toEqual([
      expect.objectContaining({
        DocumentName: "AWS-RefreshAssociation",
        Comment: `${id}:${run.ExecutionId}`,
        Parameters: { associationIds: [id] },
        InstanceIds: [channel.instanceId],
      }),
    ]);
    const { payload, output } = await handleRefresh(channel, scheduler, message);
    expect(payload.Parameters).toEqual({ associationIds: [id] });
    expect(output).toBe(`Associations [${id}] have been requested to execute immediately`);
    // The list the refresh made answered it Pending: the agent reported nothing more before running it.
    expect(scheduler.reports).toEqual([]);
    // The refresh command is done (its step Success), the run's target is not: the agent has not run it yet.
    expect(await call("GetCommandInvocation", { CommandId: commandId, InstanceId: channel.instanceId })).toMatchObject({
      Status: "Success",
      DocumentName: "AWS-RefreshAssociation",
      StandardOutputContent: output,
    });
    const outputSource = { OutputSourceId: commandId, OutputSourceType: "RunCommand" };
    expect(await targetsOf(id, run.ExecutionId)).toEqual([
      expect.objectContaining({ ResourceId: channel.instanceId, Status: "Pending", OutputSource: outputSource }),
    ]);
    // The scheduler's signal: the agent runs it through its association processor, and reports.
    expect(await scheduler.drain()).toEqual([id]);
    expect(scheduler.reports.map((r) => r.status)).toEqual(["Pending", "InProgress", "InProgress", "Success"]);
    expect(await targetsOf(id, run.ExecutionId)).toEqual([
      expect.objectContaining({ ResourceId: channel.instanceId, Status: "Success", OutputSource: outputSource }),
    ]);
    expect(await runOf(id)).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
    // Exactly once: neither its next association poll nor the channel runs it again.
    await scheduler.poll();
    expect(await scheduler.drain()).toEqual([]);
    expect(await channel.poll()).toEqual([]);
    expect(channel.sequence()).toEqual([...ONE_STEP_SEQUENCE, "GetMessages"]);
  });

  it("an agent that never polls the channel runs it at its association poll, exactly once; the refresh is taken off its queue", async () => {
    const { channel, scheduler } = await node();
    const id = await inventory([channel.instanceId]);
    await scheduler.poll();
    expect(await scheduler.drain()).toEqual([id]);
    expect(await channel.poll()).toEqual([]);
    await scheduler.poll();
    expect(await scheduler.drain()).toEqual([]);
    expect(await runOf(id)).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
  });

  it("MaxConcurrency 1 over two nodes: one refresh at a time, the second sent when the first node's run ends", async () => {
    const nodes = [await node(), await node()];
    const id = await inventory(
      nodes.map((n) => n.channel.instanceId),
      { MaxConcurrency: "1" },
    );
    const polled = await Promise.all(nodes.map((n) => n.channel.poll()));
    expect(polled.map((messages) => messages.length).sort()).toEqual([0, 1]);
    const first = nodes[polled.findIndex((messages) => messages.length === 1)] as (typeof nodes)[number];
    const second = nodes.find((n) => n !== first) as (typeof nodes)[number];
    await handleRefresh(first.channel, first.scheduler, polled.flat()[0] as AgentMessage);
    // Held back while the first runs: not sent, and not listed.
    const started = await first.scheduler.tick();
    expect(started).toEqual({ kind: "started", associationId: id });
    expect(await second.channel.poll()).toEqual([]);
    await second.scheduler.poll();
    expect(await second.scheduler.drain()).toEqual([]);
    await first.scheduler.finish(id);
    // Its final report hands the slot on: the second node is sent its refresh.
    const message = await second.channel.next();
    await handleRefresh(second.channel, second.scheduler, message);
    expect(await second.scheduler.drain()).toEqual([id]);
    expect(await runOf(id)).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=2}" });
  });

  it("a legacy InstanceId association is not pushed: its node runs it at its association poll", async () => {
    const { channel, scheduler } = await node();
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      InstanceId: channel.instanceId,
      Parameters: { commands: ["true"] },
    });
    expect(await channel.poll()).toEqual([]);
    await scheduler.poll();
    expect(await scheduler.drain()).toHaveLength(1);
  });
});
