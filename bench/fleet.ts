/**
 * `npm run fleet`: N simulated SSM Agents against one endpoint (issue 30), each making the real
 * agent's calls with its own node credentials at the agent's intervals (bench/lib/fleet/node.ts,
 * intervals.ts), then a rollout across them. By default it starts its own `npm start` (in a
 * process of its own, on a fresh in-memory DynamoDB Local, LOG_LEVEL=info so that every
 * request's DynamoDB calls and consumed capacity are read from its log); `--endpoint <url>`
 * drives another one instead (client-side figures only).
 *
 *   npm run fleet                       a short run (under 5 minutes): 100 nodes, time x20, the start-up storm (about a minute) then 2 minutes of steady state (40 agent minutes), rollout to 100
 *   npm run fleet -- --full             20,000 nodes at the agent's real intervals for 15 minutes, rollout to 10,000
 *   npm run fleet -- --nodes 5000 --scale 1 --minutes 15 --rollout 0
 *
 * Flags: --nodes N, --scale X (every interval / X, the server's poll hold with them), --minutes M
 * (wall minutes of steady state), --rollout R (nodes of the fleet the rollout targets; 0: none),
 * --run-seconds S (a run's own time on a node, not scaled), --failing F (the share of rollout nodes
 * that fail, 0.01), --in-flight C (registrations at once), --key-pool K (RSA key pairs, below),
 * --endpoint URL, --out FILE (bench/fleet-results.json, whose figures BENCHMARKS.md then shows;
 * another file leaves BENCHMARKS.md as it is), --no-messages (agents with no Mds endpoint:
 * no GetMessages; runs then reach them at their association poll only, so no rollout).
 *
 * Phases: registration; the start-up storm (`startup`: every new node runs the fleet's inventory
 * association at its first poll, so until each has, reports come far faster than later), which
 * ends when every node has finished its first run or after `--settle S` seconds (two association
 * polls and a minute by default); then the steady window of `--minutes`, measured on its own.
 * The agents run in processes of their own (`--agent-processes P`, one per 5,000 nodes by
 * default: bench/lib/fleet/workers.ts says why), their CPU counted as the load generator's. The
 * server writes its load probe every 10 s (infra/local/load-probe.ts): each phase reports its
 * event loop and its DynamoDB calls' socket waits and answer times (`probe`).
 *
 * RSA keys: a pool of `--key-pool` pairs (256), made once and kept under .data/ (gitignored),
 * node i registers with pair i mod K (bench/lib/fleet/keys.ts says what that changes).
 */

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startDynamoDbLocal } from "../infra/local/dynamodb-local.ts";
import { SecretBox } from "../shared/auth/secret-box.ts";
import { dynamoDbClient } from "../shared/store/dynamodb.ts";
import { inBatches } from "../test/support/managed-node.ts";
import { cellCpu, cpuProbe, threadMs } from "./lib/cpu.ts";
import { type EndpointProcess, REGION, startEndpointProcess, TABLE } from "./lib/environment.ts";
import { accountCall } from "./lib/fleet/account.ts";
import { CallLog } from "./lib/fleet/calls.ts";
import { agentIntervals, heldPollSeconds } from "./lib/fleet/intervals.ts";
import { keyPool } from "./lib/fleet/keys.ts";
import type { FinishedRun } from "./lib/fleet/node.ts";
import { writeFleetSection } from "./lib/fleet/report.ts";
import { RolloutWatch, rollout } from "./lib/fleet/rollout.ts";
import { probeSummary, ServerLog } from "./lib/fleet/server-log.ts";
import { storedBytes } from "./lib/fleet/stored.ts";
import { AgentProcesses } from "./lib/fleet/workers.ts";

const DEFAULT_OUT = "bench/fleet-results.json";
const { values: flags } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    "no-messages": { type: "boolean", default: false },
    nodes: { type: "string" },
    scale: { type: "string" },
    minutes: { type: "string" },
    rollout: { type: "string" },
    "run-seconds": { type: "string", default: "2" },
    failing: { type: "string", default: "0.01" },
    "in-flight": { type: "string", default: "16" },
    "key-pool": { type: "string", default: "256" },
    settle: { type: "string" },
    "agent-processes": { type: "string" },
    endpoint: { type: "string" },
    out: { type: "string", default: DEFAULT_OUT },
  },
});
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const SETTINGS = {
  nodes: number(flags.nodes, flags.full ? 20_000 : 100),
  scale: number(flags.scale, flags.full ? 1 : 20),
  minutes: number(flags.minutes, flags.full ? 15 : 2),
  rollout: number(flags.rollout, flags.full ? 10_000 : 100),
  runSeconds: number(flags["run-seconds"], 2),
  failing: number(flags.failing, 0.01),
  inFlight: number(flags["in-flight"], 16),
  keyPool: number(flags["key-pool"], 256),
  messages: !flags["no-messages"],
  /** The start-up phase's longest (s): by default two association polls and a minute (every node's first poll in it). */
  settleSeconds: number(flags.settle, 0),
  agentProcesses: number(flags["agent-processes"], 0),
};
/** Nodes per process of agents by default: each held poll is an open file, 20,000 a process at most here. */
const NODES_PER_AGENT_PROCESS = 5000;
/** AWS's most registrations per activation (CreateActivation RegistrationLimit, max 1000). */
const REGISTRATIONS_PER_ACTIVATION = 1000;
/** The steady state's goal (issue 30): every call's p99 within a second, no error. */
const GOAL_P99_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) => console.log(`[fleet ${new Date().toISOString().slice(11, 19)}] ${text}`);

/** Per node and agent hour: each count divided by nodes × agent hours, 4 significant places. */
const perNodeHour = (value: number, nodeHours: number) => Number((value / nodeHours).toPrecision(4));

/** Each operation's DynamoDB calls per request, from the server's log. */
/** DynamoDB Local's SQLite thread over a phase (bench/lib/cpu.ts threadMs): its share of one core, and ms per request. */
const sqliteThread = (msBefore: number, msAfter: number, seconds: number, requests: number) => ({
  busy: Number(((msAfter - msBefore) / (seconds * 1000)).toFixed(3)),
  msPerRequest: Number(((msAfter - msBefore) / Math.max(1, requests)).toFixed(3)),
});
const SQLITE_THREAD = "SQLiteQueue[]";

const dynamodbCallsPerRequest = (byOperation: Record<string, { requests: number; dynamodbCalls: number }>) =>
  Object.fromEntries(
    Object.entries(byOperation).map(([op, c]) => [op, Number((c.dynamodbCalls / Math.max(1, c.requests)).toFixed(2))]),
  );

/** A process's open-file limit: each held poll is an open connection in the server (one process) and in its agents' process. */
function openFileLimit(): number {
  return Number(spawnSync("sh", ["-c", "ulimit -n"]).stdout?.toString().trim()) || Number.POSITIVE_INFINITY;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  if (SETTINGS.messages && SETTINGS.nodes > openFileLimit() - 500) {
    log(
      `warning: ${SETTINGS.nodes} held polls need as many open files in the server; a process may open ${openFileLimit()}`,
    );
  }
  const holdSeconds = heldPollSeconds(SETTINGS.scale);
  let server: EndpointProcess | undefined;
  let stopDynamo: (() => Promise<void>) | undefined;
  let dynamodbEndpoint: string | undefined;
  let dynamodbPid: number | undefined;
  const serverLog = new ServerLog();
  let endpoint: { url: string; host: string };
  if (flags.endpoint) {
    endpoint = { url: flags.endpoint, host: new URL(flags.endpoint).host };
  } else {
    const dynamodb = await startDynamoDbLocal({ startTimeoutMs: 120_000 });
    stopDynamo = dynamodb.stop;
    dynamodbPid = dynamodb.pid;
    dynamodbEndpoint = dynamodb.endpoint;
    server = await startEndpointProcess(dynamodb.endpoint, SecretBox.newKey(), {
      LOG_LEVEL: "info",
      LOAD_PROBE_SECONDS: "10",
      MESSAGE_POLL_HOLD_SECONDS: String(holdSeconds),
    });
    serverLog.follow(server.child.stdout as NonNullable<typeof server.child.stdout>);
    endpoint = { url: server.url, host: new URL(server.url).host };
  }
  const calls = new CallLog();
  const watch = new RolloutWatch();
  // Nodes that have finished a run of the fleet's inventory association (the start-up storm's end).
  const firstRuns = new Set<string>();
  let inventoryAssociation: string | undefined;
  const ran = (run: FinishedRun) => {
    watch.ran(run);
    if (run.kind === "association" && run.id === inventoryAssociation) firstRuns.add(run.node);
  };
  const processes = SETTINGS.agentProcesses || Math.max(1, Math.ceil(SETTINGS.nodes / NODES_PER_AGENT_PROCESS));
  let agents: AgentProcesses | undefined;
  try {
    log(`${SETTINGS.nodes} nodes, time x${SETTINGS.scale}, at ${endpoint.url}; ${SETTINGS.keyPool} RSA key pairs...`);
    const keysStarted = Date.now();
    // Made (or read) once here, before the agents' processes read the same file.
    const { made } = await keyPool(Math.min(SETTINGS.keyPool, SETTINGS.nodes));
    const keyPoolSeconds = (Date.now() - keysStarted) / 1000;
    agents = await AgentProcesses.start(processes, {
      ran,
      received: watch.receivedBy,
      enrolled: (count) => {
        if (count % 1000 === 0) log(`  ${count} registered`);
      },
    });

    // Registration: activations of AWS's most (1,000), the rollout's tagged `rollout=yes`.
    const registrationStarted = Date.now();
    const failingEvery = SETTINGS.failing > 0 ? Math.round(1 / SETTINGS.failing) : 0;
    const failing = new Set(
      Array.from({ length: Math.min(SETTINGS.rollout, SETTINGS.nodes) }, (_, i) => i).filter(
        (i) => failingEvery > 0 && i % failingEvery === failingEvery - 1,
      ),
    );
    const activations: { ActivationId: string; ActivationCode: string }[] = [];
    for (let first = 0; first < SETTINGS.nodes; first += REGISTRATIONS_PER_ACTIVATION) {
      const size = Math.min(REGISTRATIONS_PER_ACTIVATION, SETTINGS.nodes - first);
      const rolloutPart = first < SETTINGS.rollout;
      activations.push(
        (await accountCall(endpoint, "CreateActivation", {
          IamRole: "SSMServiceRole",
          RegistrationLimit: size,
          Tags: [{ Key: "rollout", Value: rolloutPart ? "yes" : "no" }],
        })) as { ActivationId: string; ActivationCode: string },
      );
    }
    const ids = await agents.enroll(SETTINGS.nodes, {
      endpoint,
      scale: SETTINGS.scale,
      holdMs: holdSeconds * 1000,
      runMs: SETTINGS.runSeconds * 1000,
      keyPool: Math.min(SETTINGS.keyPool, SETTINGS.nodes),
      inFlight: SETTINGS.inFlight,
      failing,
      activations,
      perActivation: REGISTRATIONS_PER_ACTIVATION,
    });
    const refused = ids.flatMap((id, i) => (id === null ? [i] : []));
    // Nodes of an activation tagged for the rollout past its count are tagged back out (AddTagsToResource, the operator's call).
    await inBatches(
      ids.filter(
        (id, i): id is string =>
          id !== null &&
          i >= SETTINGS.rollout &&
          Math.floor(i / REGISTRATIONS_PER_ACTIVATION) < Math.ceil(SETTINGS.rollout / REGISTRATIONS_PER_ACTIVATION),
      ),
      SETTINGS.inFlight,
      (id) =>
        accountCall(endpoint, "AddTagsToResource", {
          ResourceType: "ManagedInstance",
          ResourceId: id,
          Tags: [{ Key: "rollout", Value: "no" }],
        }),
    );
    const registrationSeconds = (Date.now() - registrationStarted) / 1000;
    await agents.take(calls);
    const registration = {
      nodes: SETTINGS.nodes,
      refused: refused.length,
      seconds: registrationSeconds,
      perSecond: Math.round(SETTINGS.nodes / registrationSeconds),
      calls: calls.figures(),
    };
    log(`registered ${SETTINGS.nodes} in ${registrationSeconds.toFixed(1)} s (${refused.length} refused)`);
    const liveNodes = SETTINGS.nodes - refused.length;

    // One inventory association over the fleet (GetDocument once, a run per node at its next
    // poll, over the poll path: aws:softwareInventory never runs as a command), then every
    // agent's loops: first the start-up storm, then the steady state.
    inventoryAssociation = (
      await accountCall(endpoint, "CreateAssociation", {
        Name: "AWS-GatherSoftwareInventory",
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
        ScheduleExpression: "rate(30 minutes)",
      })
    ).AssociationDescription.AssociationId as string;
    const cpu = cpuProbe({ server: [server?.pid], dynamodb: dynamodbPid, clients: agents.pids });
    const progress = setInterval(() => {
      const { answered, errors } = (agents as AgentProcesses).progress();
      log(
        `  ${answered} calls answered, ${errors} errors, ${firstRuns.size} first runs, load ${loadavg()[0]?.toFixed(2)}`,
      );
    }, 30_000);
    await agents.take(new CallLog());
    serverLog.reset();
    const startupStarted = Date.now();
    const loadAtStartup = loadavg();
    const cpuAtStartup = cpu();
    const sqliteAtStartup = threadMs(dynamodbPid, SQLITE_THREAD);
    // Each node's loops run until told to stop (at their next turn).
    agents.live(SETTINGS.messages, registrationSeconds * 1000);
    const settleMs =
      (SETTINGS.settleSeconds || (2 * agentIntervals(SETTINGS.scale).associationPollMs) / 1000 + 60) * 1000;
    while (firstRuns.size < liveNodes && Date.now() - startupStarted < settleMs) await sleep(1000);
    const startupSeconds = (Date.now() - startupStarted) / 1000;
    await agents.take(calls);
    const startupCalls = calls.figures();
    calls.reset();
    const startupServer = serverLog.byOperation();
    const startupProbe = probeSummary(serverLog.probes);
    serverLog.reset();
    const cpuAtSteady = cpu();
    const sqliteAtSteady = threadMs(dynamodbPid, SQLITE_THREAD);
    const startup = {
      seconds: startupSeconds,
      settled: firstRuns.size >= liveNodes,
      firstRuns: firstRuns.size,
      requestsPerSecond: Math.round((startupCalls.all?.count ?? 0) / startupSeconds),
      reportsPerSecond: Number(
        ((startupCalls.UpdateInstanceAssociationStatus?.count ?? 0) / startupSeconds).toFixed(1),
      ),
      worstP99Ms: Math.max(
        ...Object.entries(startupCalls)
          .filter(([op]) => op !== "all" && op !== "GetMessages (delivered)")
          .map(([, f]) => f.p99),
      ),
      loadAverage: { before: loadAtStartup, after: loadavg() },
      cpu: cellCpu(cpuAtStartup, cpuAtSteady, startupCalls.all?.count ?? 0, startupSeconds, cpus().length),
      sqliteThread: sqliteThread(sqliteAtStartup, sqliteAtSteady, startupSeconds, startupCalls.all?.count ?? 0),
      calls: startupCalls,
      probe: startupProbe,
      dynamodbCallsPerRequest: dynamodbCallsPerRequest(startupServer),
    };
    log(
      `start-up storm: ${startupSeconds.toFixed(0)} s, ${firstRuns.size} of ${liveNodes} nodes ran, ${startup.reportsPerSecond} reports/s, worst p99 ${startup.worstP99Ms} ms`,
    );

    const steadyStarted = Date.now();
    const loadAtSteady = loadavg();
    const cpuBefore = cpuAtSteady;
    await sleep(SETTINGS.minutes * 60_000);
    const steadySeconds = (Date.now() - steadyStarted) / 1000;
    await agents.take(calls);
    const steadyCalls = calls.figures();
    const steadyCpu = cellCpu(cpuBefore, cpu(), steadyCalls.all?.count ?? 0, steadySeconds, cpus().length);
    const steadySqlite = sqliteThread(
      sqliteAtSteady,
      threadMs(dynamodbPid, SQLITE_THREAD),
      steadySeconds,
      steadyCalls.all?.count ?? 0,
    );
    const steadyServer = serverLog.byOperation();
    const agentHours = (steadySeconds * SETTINGS.scale) / 3600;
    const nodeHours = (SETTINGS.nodes - refused.length) * agentHours;
    const goalCalls = Object.entries(steadyCalls).filter(([op]) => op !== "all" && op !== "GetMessages (delivered)");
    // Registration of the whole fleet is part of the goal: its calls' p99 and errors count too.
    const registrationCalls = Object.entries(registration.calls).filter(([op]) => op !== "all");
    const worstP99 = Math.max(...[...goalCalls, ...registrationCalls].map(([, figures]) => figures.p99));
    const steadyErrors =
      calls.errorCount() +
      (registration.calls.all?.count ? Object.values(registration.calls.all.errors).reduce((a, b) => a + b, 0) : 0);
    const steady = {
      nodes: SETTINGS.nodes - refused.length,
      wallSeconds: steadySeconds,
      agentHours,
      requestsPerSecond: Math.round((steadyCalls.all?.count ?? 0) / steadySeconds),
      worstP99Ms: worstP99,
      errors: steadyErrors,
      goal: {
        p99Ms: GOAL_P99_MS,
        errors: 0,
        met: worstP99 <= GOAL_P99_MS && steadyErrors === 0 && refused.length === 0,
      },
      loadAverage: { before: loadAtSteady, after: loadavg() },
      cpu: steadyCpu,
      sqliteThread: steadySqlite,
      calls: steadyCalls,
      probe: probeSummary(serverLog.probes),
      dynamodbCallsPerRequest: dynamodbCallsPerRequest(steadyServer),
    };
    log(
      `steady: ${steady.requestsPerSecond} req/s, worst p99 ${worstP99} ms, ${steadyErrors} errors: goal ${steady.goal.met ? "met" : "NOT met"}`,
    );
    const serverTotals = Object.values(steadyServer).reduce(
      (sum, cost) => ({
        requests: sum.requests + cost.requests,
        dynamodbCalls: sum.dynamodbCalls + cost.dynamodbCalls,
        readCapacity: sum.readCapacity + cost.readCapacity,
        writeCapacity: sum.writeCapacity + cost.writeCapacity,
        retries: sum.retries + cost.retries,
      }),
      { requests: 0, dynamodbCalls: 0, readCapacity: 0, writeCapacity: 0, retries: 0 },
    );
    const nodeHour = server
      ? {
          nodeHours,
          byOperation: Object.fromEntries(
            Object.entries(steadyServer).map(([operation, cost]) => [
              operation,
              {
                requests: perNodeHour(cost.requests, nodeHours),
                dynamodbCalls: perNodeHour(cost.dynamodbCalls, nodeHours),
                readCapacityUnits: perNodeHour(cost.readCapacity, nodeHours),
                writeCapacityUnits: perNodeHour(cost.writeCapacity, nodeHours),
                meanServerLatencyMs: Number((cost.latencyMsSum / Math.max(1, cost.requests)).toFixed(2)),
                // What one request of it costs, to price the agent's default rates apart from this window's.
                perRequest: {
                  dynamodbCalls: Number((cost.dynamodbCalls / Math.max(1, cost.requests)).toPrecision(4)),
                  readCapacityUnits: Number((cost.readCapacity / Math.max(1, cost.requests)).toPrecision(4)),
                  writeCapacityUnits: Number((cost.writeCapacity / Math.max(1, cost.requests)).toPrecision(4)),
                },
              },
            ]),
          ),
          total: {
            requests: perNodeHour(serverTotals.requests, nodeHours),
            dynamodbCalls: perNodeHour(serverTotals.dynamodbCalls, nodeHours),
            readCapacityUnits: perNodeHour(serverTotals.readCapacity, nodeHours),
            writeCapacityUnits: perNodeHour(serverTotals.writeCapacity, nodeHours),
            retries: perNodeHour(serverTotals.retries, nodeHours),
          },
        }
      : {
          nodeHours,
          byOperation: Object.fromEntries(
            Object.entries(steadyCalls)
              .filter(([op]) => op !== "all")
              .map(([operation, figures]) => [operation, { requests: perNodeHour(figures.count, nodeHours) }]),
          ),
        };

    // The steady state's figures are kept at once: a rollout that breaks the run leaves them.
    writeFileSync(
      flags.out as string,
      `${JSON.stringify({ settings: SETTINGS, registration, startup, steady, perNodeHour: nodeHour, rollout: "not finished" }, null, 2)}\n`,
    );

    // The rollout, across the live fleet.
    let rolloutResult: Record<string, unknown> | undefined;
    if (SETTINGS.rollout > 0 && SETTINGS.messages) {
      await agents.take(new CallLog());
      calls.reset();
      serverLog.reset();
      log(`rollout to ${SETTINGS.rollout} nodes...`);
      const measured = await rollout(endpoint, watch, {
        nodes: SETTINGS.rollout,
        failing: failing.size,
        runSeconds: SETTINGS.runSeconds,
        timeoutSeconds: Math.max(300, SETTINGS.rollout / 10),
      });
      await agents.take(calls);
      const rolloutServer = serverLog.byOperation();
      rolloutResult = {
        ...measured,
        refused: calls.errorCount(),
        retries: Object.values(rolloutServer).reduce((sum, cost) => sum + cost.retries, 0),
        conflicts: Object.values(rolloutServer).reduce((sum, cost) => sum + cost.conflicts, 0),
        calls: calls.figures(),
        server: rolloutServer,
      };
      log(`rollout: ${JSON.stringify({ ...rolloutResult, calls: undefined, server: undefined })}`);
    }
    clearInterval(progress);
    // The held polls end within a hold; the other loops are asleep and are not waited for.
    await agents.stop(holdSeconds * 1000 + 1000);
    await sleep(holdSeconds * 1000 + 1000);

    const stored = dynamodbEndpoint ? await storedBytes(dynamoDbClient(dynamodbEndpoint, REGION), TABLE) : undefined;
    const results = {
      measured: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        commit: spawnSync("git", ["rev-parse", "--short", "HEAD"]).stdout?.toString().trim(),
        loadAverage: { before: loadBefore, after: loadavg() },
      },
      settings: {
        ...SETTINGS,
        holdSeconds,
        keyPoolSeconds,
        keyPairsMade: made,
        endpoint: flags.endpoint ?? "npm start (its own, in-memory DynamoDB Local)",
      },
      registration,
      startup,
      steady,
      perNodeHour: nodeHour,
      server: server ? steadyServer : undefined,
      stored: stored && {
        ...stored,
        perNode: {
          items: Number((stored.items / SETTINGS.nodes).toFixed(2)),
          bytes: Math.round(stored.bytes / SETTINGS.nodes),
          billedBytes: Math.round(stored.billedBytes / SETTINGS.nodes),
        },
      },
      rollout: rolloutResult,
    };
    writeFileSync(flags.out as string, `${JSON.stringify(results, null, 2)}\n`);
    // The committed results (the default --out) are the ones BENCHMARKS.md shows.
    if (flags.out === DEFAULT_OUT) writeFleetSection(new URL("../BENCHMARKS.md", import.meta.url), results);
    log(`per node-hour: ${JSON.stringify(nodeHour.total ?? {})}`);
    if (stored) log(`stored: ${results.stored?.perNode.bytes} bytes per node (${results.stored?.perNode.items} items)`);
    log(`wrote ${flags.out}`);
  } finally {
    agents?.kill();
    await server?.close();
    await stopDynamo?.();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
