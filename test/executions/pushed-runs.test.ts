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
import { runOf, targetsOf } from "../support/association-runs.ts";
import { meterCalls, withoutAuditRecord } from "../support/call-meter.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call, invoke } from "../support/invoke.ts";
import { inBatches, ManagedNode } from "../support/managed-node.ts";
import { type AgentMessage, ONE_STEP_SEQUENCE, ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

// A poll of the channel is held up to 1 s, and answers as soon as a message for its node is written.
const server = useLocalEndpoint({ messagePollHoldMs: 1000 });

const SCRIPT = { commands: ["echo applied"] };

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
    expect(agent.sequence()).toEqual(ONE_STEP_SEQUENCE);
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

  // Issue 28's push goes in the run's own transaction while it fits (store/execution-items.ts
  // runPuts); here it does not: 40 first-wave targets, their shards, invocations and messages are
  // far past 100 items. What does not fit is written before the transaction, in batches at once.
  it("a first wave too big for one transaction (MaxConcurrency 40 over 50 nodes) is pushed whole and exactly: one round trip more; each released node gets its one message, each other node its own once a slot is handed on, none twice", async () => {
    const nodes = await ManagedNode.registerFleet(50);
    const agents = nodes.map((node) => new ReplayedAgent(server, node.id, node.identity));
    const meter = meterCalls(server.table.db);
    await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
    meter.reset();
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: [{ Key: "InstanceIds", Values: nodes.map((node) => node.id) }],
      MaxConcurrency: "40",
    });
    const id = created.AssociationId as string;
    // The nodes (an AWS-owned document is no read); what does not fit, batched at once; the
    // transaction; then the audit record, a round trip of its own.
    const { commands, audited } = withoutAuditRecord([...meter.calls]);
    expect(audited).toBe(true);
    expect(commands[0]).toBe("BatchGetItem");
    expect(commands.at(-1)).toBe("TransactWriteItems");
    expect(commands.slice(1, -1).length).toBeGreaterThan(0);
    expect(commands.slice(1, -1).every((command) => command === "BatchWriteItem")).toBe(true);
    expect(meter.roundTrips - 1).toBe(3);

    // Its 32 counter shards count the 40 released as running, as their releases would have.
    const run = await runOf(id);
    const shards = (await server.table.items()).filter(
      (item) => item.Type === "CounterShard" && String(item.PK).includes(run.ExecutionId),
    );
    const sum = (counter: string) => shards.reduce((total, shard) => total + Number(shard[counter] ?? 0), 0);
    expect({ active: sum("n_Active"), waiting: sum("n_Waiting") }).toEqual({ active: 40, waiting: -40 });

    // Exactly 40 nodes find one message each, all of the run's one command; 10 find none.
    const polled = async (group: ReplayedAgent[]) =>
      (await inBatches(group, 10, async (agent) => ({ agent, messages: await agent.poll() }))).filter(
        ({ messages }) => messages.length > 0,
      );
    const first = await polled(agents);
    expect(first).toHaveLength(40);
    expect(first.every(({ messages }) => messages.length === 1)).toBe(true);
    const commandIds = new Set(first.map(({ messages }) => (messages[0] as AgentMessage).MessageId.split(".")[2]));
    expect(commandIds.size).toBe(1);
    const { CommandInvocations } = await call("ListCommandInvocations", { CommandId: [...commandIds][0] });
    expect(CommandInvocations).toHaveLength(50);

    // Each runs it; each end hands its slot on: the other 10 then get theirs, one each.
    const runAll = (group: { agent: ReplayedAgent; messages: AgentMessage[] }[]) =>
      inBatches(group, 8, async ({ agent, messages }) => {
        const message = messages[0] as AgentMessage;
        const payload = await agent.receive(message);
        await agent.run(message, payload as NonNullable<typeof payload>, shellOutcome({ stdout: "applied\n" }));
      });
    await runAll(first);
    const waited = agents.filter((agent) => !first.some((got) => got.agent === agent));
    const second = await polled(waited);
    expect(second.map(({ agent }) => agent.instanceId).sort()).toEqual(waited.map((agent) => agent.instanceId).sort());
    expect(second.every(({ messages }) => messages.length === 1)).toBe(true);
    await runAll(second);
    // Nobody is sent it twice, and the run ends with every node's success.
    expect(await polled(agents)).toEqual([]);
    expect(await runOf(id)).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=50}" });
  }, 120_000);

  // What a crash between those writes leaves (store/execution-items.ts): the early items, none of
  // them reachable. The run's transaction and the cleanup after it both fail here, as if the
  // process died after the batches.
  it("a crash between the early batches and the run's transaction leaves nothing any node or listing reaches: the queued messages are never handed out; the next run is pushed as if nothing happened", async () => {
    const nodes = await ManagedNode.registerFleet(30);
    const agents = nodes.map((node) => new ReplayedAgent(server, node.id, node.identity));
    const db = server.table.db;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, unknown> };
        const cleanup = Object.values(input.RequestItems ?? {}).some(
          (requests) => Array.isArray(requests) && requests.some((request) => request.DeleteRequest),
        );
        if (context.commandName === "TransactWriteItemsCommand" || cleanup) throw new Error("the process died");
        return next(args);
      },
      { step: "initialize", name: "crashBeforeTheRun" },
    );
    const targets = [{ Key: "InstanceIds", Values: nodes.map((node) => node.id) }];
    const associations = (await call("ListAssociations", {})).Associations.length;
    let answer: Awaited<ReturnType<typeof invoke>>;
    try {
      answer = await invoke("CreateAssociation", {
        Name: "AWS-RunShellScript",
        Parameters: SCRIPT,
        Targets: targets,
        MaxConcurrency: "100%",
      });
    } finally {
      db.middlewareStack.remove("crashBeforeTheRun");
    }
    expect(answer.status).toBe(500);
    // The early batches were written: the first wave's messages sit in the nodes' queues.
    const queued = (await server.table.items()).filter((item) => item.Type === "QueuedMessage");
    expect(queued.map((item) => item.Destination).sort()).toEqual(nodes.map((node) => node.id).sort());
    const orphan = String(queued[0]?.MessageId).split(".")[2];
    // No node is handed one (each hand-out checks the run's item, never written), no listing shows the
    // command (its head was in the transaction), no association or run exists.
    const polled = await inBatches(agents, 10, (agent) => agent.poll());
    expect(polled.flat()).toEqual([]);
    const { Commands } = await call("ListCommands", {});
    expect(Commands.map((command: { CommandId: string }) => command.CommandId)).not.toContain(orphan);
    const { Commands: ofNode } = await call("ListCommands", { InstanceId: nodes[0]?.id });
    expect(ofNode).toEqual([]);
    expect((await call("ListAssociations", {})).Associations).toHaveLength(associations);
    // The next run goes as usual: each node gets its one message, of that run's command.
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: SCRIPT,
      Targets: targets,
      MaxConcurrency: "100%",
    });
    const next = await inBatches(agents, 10, (agent) => agent.poll());
    expect(next.every((messages) => messages.length === 1)).toBe(true);
    expect(new Set(next.map((messages) => (messages[0] as AgentMessage).MessageId.split(".")[2])).size).toBe(1);
    const nextCommand = next[0]?.[0]?.MessageId.split(".")[2];
    expect(nextCommand).toBeDefined();
    expect(nextCommand).not.toBe(orphan);
  }, 120_000);
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
