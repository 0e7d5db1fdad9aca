/**
 * An association run reaches its node (issue 28, ARCHITECTURE.md "How an association run reaches
 * its nodes"), both ways, with the agent's calls replayed exactly:
 *
 * - pushed: over ec2messages as a Run Command command of the association's document, whose
 *   Comment is `<association id>:<execution id>` (aws-cli awscli/examples/ssm/list-commands.rst
 *   example 3, get-command-invocation.rst), the agent's sequence from its source
 *   (test/support/run-command-agent.ts: GetMessages, the InProgress reply, AcknowledgeMessage, the
 *   plugin's reply, the final reply); each target's OutputSource names the command
 *   (describe-association-execution-targets.rst: `OutputSource {OutputSourceId,
 *   OutputSourceType: "RunCommand"}`), and GetCommandInvocation shows what it printed;
 * - polled: an agent that never polls the channel (Mds endpoint unset, or blocked) runs it at its
 *   association poll (test/support/managed-node.ts: ListInstanceAssociations, then its reports,
 *   agent/association/service/service.go), exactly once.
 */
import { describe, expect, it } from "vitest";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { inBatches, ManagedNode } from "../support/managed-node.ts";
import { type AgentMessage, ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

// A poll of the channel is held up to 1 s, and answers as soon as a message for its node is written.
const server = useLocalEndpoint({ messagePollHoldMs: 1000 });

const SCRIPT = { commands: ["echo applied"] };

async function runOf(associationId: string) {
  const { AssociationExecutions } = await call("DescribeAssociationExecutions", { AssociationId: associationId });
  return AssociationExecutions[0] as { ExecutionId: string; Status: string; ResourceCountByStatus: string };
}

async function targetsOf(associationId: string, executionId: string) {
  const { AssociationExecutionTargets } = await call("DescribeAssociationExecutionTargets", {
    AssociationId: associationId,
    ExecutionId: executionId,
  });
  return AssociationExecutionTargets as Record<string, unknown>[];
}

describe("an association run pushed over the message channel", () => {
  it("CreateAssociation → the node gets its document as a command (Comment <association>:<execution>), runs it; the target shows Success with OutputSource, GetCommandInvocation the output", async () => {
    const agent = await ReplayedAgent.register(server);
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: [{ Key: "InstanceIds", Values: [agent.instanceId] }],
    });
    const id = created.AssociationId as string;
    const message = await agent.next();
    expect(message.Topic).toBe("aws.ssm.sendCommand.us.east.1.1");
    const commandId = message.MessageId.slice("aws.ssm.".length, -`.${agent.instanceId}`.length);
    const run = await runOf(id);
    const { Commands } = await call("ListCommands", { CommandId: commandId });
    expect(Commands).toEqual([
      expect.objectContaining({
        CommandId: commandId,
        DocumentName: "AWS-RunShellScript",
        // list-commands.rst example 3: an association's run as a command.
        Comment: `${id}:${run.ExecutionId}`,
        DocumentVersion: "",
        InstanceIds: [agent.instanceId],
        Targets: [],
        MaxConcurrency: "50",
        MaxErrors: "100%",
      }),
    ]);
    // The agent parses it as Go does (SendCommandPayload), replies InProgress and acknowledges.
    const payload = await agent.receive(message);
    expect(payload).toMatchObject({ CommandId: commandId, DocumentName: "AWS-RunShellScript", Parameters: SCRIPT });
    const outputSource = { OutputSourceId: commandId, OutputSourceType: "RunCommand" };
    expect(await targetsOf(id, run.ExecutionId)).toEqual([
      expect.objectContaining({ ResourceId: agent.instanceId, Status: "InProgress", OutputSource: outputSource }),
    ]);
    await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: "applied\n" }));
    // From the poll that got the message (earlier polls may have been empty).
    const operations = agent.calls.map((c) => c.operation);
    expect(operations.slice(operations.indexOf("SendReply") - 1)).toEqual([
      "GetMessages",
      "SendReply",
      "AcknowledgeMessage",
      "SendReply",
      "SendReply",
    ]);
    expect(agent.calls.every((c) => c.status === 200)).toBe(true);

    expect(await targetsOf(id, run.ExecutionId)).toEqual([
      expect.objectContaining({
        AssociationId: id,
        ExecutionId: run.ExecutionId,
        ResourceId: agent.instanceId,
        ResourceType: "ManagedInstance",
        Status: "Success",
        DetailedStatus: "Success",
        OutputSource: outputSource,
      }),
    ]);
    expect(await runOf(id)).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
    expect(await call("GetCommandInvocation", { CommandId: commandId, InstanceId: agent.instanceId })).toMatchObject({
      Comment: `${id}:${run.ExecutionId}`,
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: "applied\n",
      StandardErrorContent: "",
    });
    // Its association poll then finds the run done: the agent does not run it again.
    const node = new ManagedNode(agent.instanceId, agent.identity).via(server);
    expect(await node.due()).toEqual([]);
    expect(await agent.poll()).toEqual([]);
  });

  it("an agent that never polls the channel runs it at its association poll, exactly once", async () => {
    const agent = await ReplayedAgent.register(server);
    const node = new ManagedNode(agent.instanceId, agent.identity).via(server);
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
    });
    const id = created.AssociationId as string;
    // Its association poll takes the run over (the message never handed out): Pending, run now.
    expect(await node.due()).toEqual([id]);
    // Taken off the channel: a poll of the channel now finds nothing to run a second time.
    expect(await agent.poll()).toEqual([]);
    const statuses = await node.run(id, "Success");
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await node.due()).toEqual([]);
    const run = await runOf(id);
    expect(run).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
    expect(await targetsOf(id, run.ExecutionId)).toEqual([
      expect.objectContaining({ ResourceId: node.id, Status: "Success" }),
    ]);
  });

  it("MaxErrors 0: the error that stops the run takes back the message another node has not taken yet; that node's channel then hands out nothing", async () => {
    const agents = await Promise.all([1, 2, 3].map(() => ReplayedAgent.register(server)));
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: [{ Key: "InstanceIds", Values: agents.map((agent) => agent.instanceId) }],
      MaxConcurrency: "2",
      MaxErrors: "0",
    });
    const id = created.AssociationId as string;
    // Two are released (MaxConcurrency 2), in the run's order: the first agent that finds its
    // message runs it and fails; the other released one has not polled the channel yet.
    let failed: ReplayedAgent | undefined;
    for (const agent of agents) {
      const [message] = await agent.poll();
      if (!message) continue;
      const payload = await agent.receive(message);
      await agent.run(
        message,
        payload as NonNullable<typeof payload>,
        shellOutcome({ status: "Failed", code: 2, stderr: "no\n" }),
      );
      failed = agent;
      break;
    }
    expect(failed).toBeDefined();
    const others = agents.filter((agent) => agent !== failed);
    // The stop took the other released target's message back: no agent is handed anything.
    for (const agent of others) expect(await agent.poll()).toEqual([]);
    expect(await runOf(id)).toMatchObject({ Status: "Failed", ResourceCountByStatus: "{Failed=1,Skipped=2}" });
  });
});

/**
 * Issue 28's rate-controlled run, replayed, untimed: 50 nodes, MaxConcurrency 5, MaxErrors 2, its
 * third error stopping it (issue 26's rule: after it no release commits). Each round, every node
 * that has not run does what its agent does between runs, all at once: one poll of the channel
 * (GetMessages, the agent's loop) and one association poll (ListInstanceAssociations, the
 * agent's association processor), in either order; 10 nodes have no channel (Mds endpoint unset)
 * and make the association poll only. Then the nodes told to run run it, one after another, by
 * the path that told them: the command's replies (pushed) or the association reports (polled).
 */
describe("a pushed run over 50 nodes, MaxConcurrency 5, MaxErrors 2, pushed and polled paths at once", () => {
  it("5 run per round; the 3rd error stops it after exactly 20 (the 4 it would hand over next are taken back); no node runs it twice", async () => {
    const fleet = await ManagedNode.registerFleet(50);
    const nodes = fleet.map((node, i) => ({
      node: node.via(server),
      agent: new ReplayedAgent(server, node.id, node.identity),
      // Every 5th node's agent has no channel; of the others, half make their association poll first.
      channel: i % 5 !== 4,
      associationPollFirst: i % 2 === 0,
    }));
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: [{ Key: "InstanceIds", Values: fleet.map((node) => node.id) }],
      MaxConcurrency: "5",
      MaxErrors: "2",
    });
    const id = created.AssociationId as string;
    type Told = { entry: (typeof nodes)[number]; message?: AgentMessage };
    const toldTimes = new Map<string, number>();
    /** One round of every waiting node's polls; the nodes told to run, each with how. */
    const round = async (waiting: typeof nodes): Promise<Told[]> => {
      const told = await inBatches(waiting, 50, async (entry): Promise<Told[]> => {
        const out: Told[] = [];
        const channel = async () => {
          if (!entry.channel) return;
          for (const message of await entry.agent.poll()) out.push({ entry, message });
        };
        const associations = async () => {
          if ((await entry.node.due()).includes(id)) out.push({ entry });
        };
        if (entry.associationPollFirst) await associations().then(channel);
        else await channel().then(associations);
        return out;
      });
      for (const t of told.flat()) toldTimes.set(t.entry.node.id, (toldTimes.get(t.entry.node.id) ?? 0) + 1);
      return told.flat();
    };
    const runIt = async ({ entry, message }: Told, outcome: "Success" | "Failed") => {
      if (!message) {
        expect(await entry.node.run(id, outcome)).toEqual([200, 200, 200, 200]);
        return "polled";
      }
      const payload = await entry.agent.receive(message);
      expect(payload?.DocumentName).toBe("AWS-RunShellScript");
      await entry.agent.run(
        message,
        payload as NonNullable<typeof payload>,
        shellOutcome(outcome === "Failed" ? { status: "Failed", code: 1, stderr: "no\n" } : { stdout: "applied\n" }),
      );
      return "pushed";
    };

    let waiting = nodes;
    const paths: string[] = [];
    let errors = 0;
    for (let r = 1; r <= 10; r++) {
      const told = await round(waiting);
      if (errors > 2) {
        // The stop took back the messages of the 4 released after round 4's successes: no one is told.
        expect(told).toEqual([]);
        break;
      }
      expect(told).toHaveLength(5);
      // Rounds 2 and 3: the first to run fails. Round 4: the last does, after the 4 others' ends
      // handed their slots on: its error (the 3rd) stops the run with 4 released, not started.
      const failing = r === 2 || r === 3 ? told[0] : r === 4 ? told[4] : undefined;
      for (const t of told) paths.push(await runIt(t, t === failing ? "Failed" : "Success"));
      if (failing) errors++;
      waiting = waiting.filter((entry) => !told.some((t) => t.entry === entry));
      if (errors > 2) {
        // At once, before any node polls again: the 4 released after round 4's successes were
        // taken back by the stopping error itself, so the run is over.
        expect(await runOf(id)).toMatchObject({
          Status: "Failed",
          ResourceCountByStatus: "{Success=17,Failed=3,Skipped=30}",
        });
      }
    }
    expect(paths).toHaveLength(20);
    expect(paths).toContain("pushed");
    expect(paths).toContain("polled");
    // No node was told twice, by either path or by both.
    expect([...toldTimes.values()].filter((times) => times > 1)).toEqual([]);
    const run = await runOf(id);
    expect(run).toMatchObject({ Status: "Failed", ResourceCountByStatus: "{Success=17,Failed=3,Skipped=30}" });
    const ran = (await targetsOf(id, run.ExecutionId)).filter((t) => t.Status !== "Skipped");
    expect(ran.map((t) => t.ResourceId).sort()).toEqual([...toldTimes.keys()].sort());
    // Every node after the stop: nothing on its channel, nothing due at its association poll.
    expect(await round(nodes)).toEqual([]);
  }, 120_000);
});
