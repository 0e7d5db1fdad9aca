/**
 * An association run pushed over the message channel (issue 28), two figures, with replayed SSM
 * Agents polling `npm start`'s channel over HTTP exactly as the agent's loop does
 * (test/support/run-command-agent.ts `pollLoop`: one GetMessages at a time, held by `npm start`
 * up to MESSAGE_POLL_HOLD_SECONDS, 19 s unless set, and woken the moment a message for its node
 * is written; a pause of 2 to 2.5 s only after a poll answered within a second):
 *
 * - CreateAssociation → the node's InProgress report: `latencyNodes` nodes; CreateAssociations
 *   targeting one node each, first `sequential` one at a time (the nodes in turn), then
 *   `concurrentRounds` rounds of one per node sent at once. Each is sent while its node's agent
 *   has its poll out, as an idle agent nearly always has (a held empty poll is followed by the
 *   next at once), and timed from the moment it is sent to the moment the agent's InProgress
 *   reply (its first report of the run, sent before its acknowledgement) is answered.
 * - A rate-controlled run: one association over `nodes` nodes by tag, MaxConcurrency and
 *   MaxErrors as set, each node running `runSeconds` from the moment it gets the message (the
 *   agent's processor starts the run before it replies), the nodes that are the `failingAt`-th
 *   to get the run failing. Its wall time, CreateAssociation sent to the last node's final reply
 *   answered, against the ideal wave time (the waves the nodes that ran needed at
 *   MaxConcurrency, `runSeconds` each), and the stop: which nodes ran, whether the run's counts
 *   are theirs, whether any node got the run twice or after the stopping error was answered.
 */
import { MAX_MESSAGE_POLL_HOLD_SECONDS } from "../../shared/config.ts";
import { postTo } from "../../test/support/endpoint.ts";
import type { Identity } from "../../test/support/identity.ts";
import { pollLoop, ReplayedAgent, shellOutcome, type Taken } from "../../test/support/run-command-agent.ts";
import { type Environment, newAccount } from "./environment.ts";
import { percentile } from "./load.ts";
import { countsOf, registerFleet } from "./rollout.ts";

export type PushSettings = {
  latencyNodes: number;
  sequential: number;
  concurrentRounds: number;
  rateControlled: {
    nodes: number;
    maxConcurrency: number;
    maxErrors: number;
    runSeconds: number;
    /** The nodes that fail: the n-th to get the run, counted from 1. */
    failingAt: number[];
    timeoutSeconds: number;
  };
};

type Spread = { count: number; p50: number; p99: number; max: number };

export type PushResult = PushSettings & {
  /** How long `npm start` held an empty poll (MESSAGE_POLL_HOLD_SECONDS, or its default). */
  holdSeconds: number;
  /** CreateAssociation sent → the agent's InProgress reply answered, ms: all, one at a time, at once. */
  toInProgress: { all: Spread; sequential: Spread; concurrent: Spread };
  /** CreateAssociation sent → the poll that got the message answered, ms. */
  toDelivery: Spread;
  /** Polls (of every agent) that failed. */
  pollErrors: number;
  run: {
    status: string;
    resourceCountByStatus: string;
    ran: number;
    succeeded: number;
    failed: number;
    skipped: number;
    /** The run's counts are what the nodes did. */
    countsExact: boolean;
    /** Nodes that got the run more than once. */
    ranTwice: number;
    /** Messages handed out after the error that stops the run (MaxErrors + 1) was answered. */
    deliveredAfterStop: number;
    waves: number;
    wallSeconds: number;
    idealSeconds: number;
    /** CreateAssociation sent → the first wave's last message handed out, ms. */
    firstWaveMs: number;
    /** A node's final reply answered → the next node's poll answered with its message, ms. */
    handOver: Spread;
    /** A run's two replies after its second (the plugin's, then the final one), ms. */
    replies: Spread;
  };
  measured?: { date: string; node: string; loadAverage: { before: number[]; after: number[] } };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Replayed agents polling the channel, each in its loop, until `stop`. */
function fleetOfAgents(env: Environment, nodes: { id: string; identity: Identity }[], onTaken: AgentHandler) {
  const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
  let running = true;
  const agents = nodes.map((node) => ({
    agent: new ReplayedAgent(endpoint, node.id, node.identity),
    state: { polling: false, errors: 0 },
  }));
  const loops = agents.map(({ agent, state }) =>
    pollLoop(
      agent,
      (taken) => onTaken(agent, taken),
      () => running,
      state,
    ),
  );
  return {
    agents,
    errors: () => agents.reduce((sum, { state }) => sum + state.errors, 0),
    /** Ends the loops: each after the poll it has out (held up to the hold). */
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

type AgentHandler = (agent: ReplayedAgent, taken: Taken) => void;

async function createAssociation(env: Environment, account: Identity, request: Record<string, unknown>) {
  const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
  const answer = await postTo(endpoint, "CreateAssociation", JSON.stringify(request), { identity: account });
  if (answer.status !== 200) throw new Error(`CreateAssociation: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body.AssociationDescription as { AssociationId: string }).AssociationId;
}

function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    sleep(seconds * 1000).then(() => {
      throw new Error(`${what}: nothing after ${seconds} s`);
    }),
  ]);
}

/** (a) CreateAssociation → the node's InProgress report. */
async function latency(env: Environment, account: Identity, settings: PushSettings) {
  const fleet = await registerFleet(account, settings.latencyNodes, { Key: "push", Value: "latency" });
  const expecting = new Map<string, (taken: Taken) => void>();
  const runs: Promise<void>[] = [];
  const agents = fleetOfAgents(env, fleet, (agent, taken) => {
    expecting.get(agent.instanceId)?.(taken);
    expecting.delete(agent.instanceId);
    runs.push(agent.run(taken.message, taken.payload, shellOutcome({ stdout: "applied\n" })));
  });
  const sample = async (index: number) => {
    const { agent, state } = agents.agents[index] as (typeof agents.agents)[number];
    // The node's agent has its poll out (after its last run's pause), then a moment at random.
    while (!state.polling) await sleep(10);
    await sleep(50 + Math.random() * 100);
    const taken = new Promise<Taken>((resolve) => expecting.set(agent.instanceId, resolve));
    const sent = performance.now();
    await createAssociation(env, account, {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo applied"] },
      Targets: [{ Key: "InstanceIds", Values: [agent.instanceId] }],
    });
    const got = await within(taken, 30, `the run for ${agent.instanceId}`);
    return { toInProgress: got.inProgressAt - sent, toDelivery: got.deliveredAt - sent };
  };
  try {
    const sequential: { toInProgress: number; toDelivery: number }[] = [];
    for (let i = 0; i < settings.sequential; i++) sequential.push(await sample(i % settings.latencyNodes));
    const concurrent: { toInProgress: number; toDelivery: number }[] = [];
    for (let round = 0; round < settings.concurrentRounds; round++) {
      concurrent.push(...(await Promise.all(agents.agents.map((_, i) => sample(i)))));
    }
    await Promise.all(runs);
    const all = [...sequential, ...concurrent];
    return {
      toInProgress: {
        all: spread(all.map((s) => s.toInProgress)),
        sequential: spread(sequential.map((s) => s.toInProgress)),
        concurrent: spread(concurrent.map((s) => s.toInProgress)),
      },
      toDelivery: spread(all.map((s) => s.toDelivery)),
      pollErrors: agents.errors(),
    };
  } finally {
    await agents.stop();
  }
}

/** (b) A rate-controlled run over the fleet, stopped by its failing nodes. */
async function rateControlled(env: Environment, account: Identity, settings: PushSettings["rateControlled"]) {
  const fleet = await registerFleet(account, settings.nodes, { Key: "push", Value: "rollout" });
  const deliveries: { node: string; at: number }[] = [];
  const ends: { at: number; failed: boolean }[] = [];
  const replies: number[] = [];
  const runs: Promise<void>[] = [];
  const agents = fleetOfAgents(env, fleet, (agent, taken) => {
    deliveries.push({ node: agent.instanceId, at: taken.deliveredAt });
    const fails = settings.failingAt.includes(deliveries.length);
    runs.push(
      (async () => {
        // The processor started the run when the message came; the replies' time is the run's.
        await sleep(Math.max(0, settings.runSeconds * 1000 - (performance.now() - taken.deliveredAt)));
        const replying = performance.now();
        await agent.run(
          taken.message,
          taken.payload,
          shellOutcome(fails ? { status: "Failed", code: 1, stderr: "failed\n" } : { stdout: "done\n" }),
        );
        ends.push({ at: performance.now(), failed: fails });
        replies.push(performance.now() - replying);
      })(),
    );
  });
  let status = "Pending";
  let resourceCountByStatus = "";
  const started = performance.now();
  try {
    await sleep(3000); // every agent's first poll is out
    const sent = performance.now();
    const associationId = await createAssociation(env, account, {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["sleep 1"] },
      Targets: [{ Key: "tag:push", Values: ["rollout"] }],
      MaxConcurrency: String(settings.maxConcurrency),
      MaxErrors: String(settings.maxErrors),
    });
    const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
    while (status === "Pending" || status === "InProgress") {
      if (performance.now() - started > settings.timeoutSeconds * 1000) break;
      await sleep(250);
      const answer = await postTo(
        endpoint,
        "DescribeAssociationExecutions",
        JSON.stringify({ AssociationId: associationId }),
        { identity: account },
      );
      const [execution] = (answer.body.AssociationExecutions ?? []) as {
        Status?: string;
        ResourceCountByStatus?: string;
      }[];
      status = execution?.Status ?? status;
      resourceCountByStatus = execution?.ResourceCountByStatus ?? resourceCountByStatus;
    }
    await Promise.all(runs);
    const lastEnd = Math.max(...ends.map((end) => end.at));
    const stopAt = ends
      .filter((end) => end.failed)
      .map((end) => end.at)
      .sort((a, b) => a - b)[settings.maxErrors];
    const ran = deliveries.length;
    const failed = ends.filter((end) => end.failed).length;
    const succeeded = ends.length - failed;
    const counts = countsOf(resourceCountByStatus);
    const nodesRan = new Set(deliveries.map((d) => d.node));
    const waves = Math.ceil(nodesRan.size / settings.maxConcurrency);
    // Each end but the last few handed its slot on: the next delivery after it, in order.
    const endTimes = ends.map((end) => end.at).sort((a, b) => a - b);
    const deliveryTimes = deliveries.map((d) => d.at).sort((a, b) => a - b);
    const handOver = deliveryTimes
      .slice(settings.maxConcurrency)
      .map((at, i) => at - (endTimes[i] as number))
      .filter((ms) => ms >= 0);
    return {
      status,
      resourceCountByStatus,
      ran: nodesRan.size,
      succeeded,
      failed,
      skipped: settings.nodes - nodesRan.size,
      countsExact:
        (counts.Success ?? 0) === succeeded &&
        (counts.Failed ?? 0) === failed &&
        (counts.Skipped ?? 0) === settings.nodes - nodesRan.size,
      ranTwice: ran - nodesRan.size,
      deliveredAfterStop: stopAt === undefined ? 0 : deliveries.filter((d) => d.at > stopAt).length,
      waves,
      wallSeconds: (lastEnd - sent) / 1000,
      idealSeconds: waves * settings.runSeconds,
      firstWaveMs: (deliveryTimes[settings.maxConcurrency - 1] ?? Number.NaN) - sent,
      handOver: spread(handOver),
      replies: spread(replies),
    };
  } finally {
    await agents.stop();
  }
}

export async function push(env: Environment, settings: PushSettings): Promise<PushResult> {
  const account = await newAccount(env, "bench-push");
  const held = process.env.MESSAGE_POLL_HOLD_SECONDS;
  const holdSeconds = held === undefined ? MAX_MESSAGE_POLL_HOLD_SECONDS : Number(held);
  const measured = await latency(env, account, settings);
  const run = await rateControlled(env, account, settings.rateControlled);
  return { ...settings, holdSeconds, ...measured, run };
}
