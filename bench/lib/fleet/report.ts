/**
 * The fleet's section of BENCHMARKS.md, written by `npm run fleet` from its results
 * (bench/fleet-results.json) between two markers, and kept as it is when `npm run bench`
 * rewrites the rest of the page (bench/lib/report.ts): each figure next to its goal (issue 30).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const START = "<!-- npm run fleet: start -->";
const END = "<!-- npm run fleet: end -->";

/** The held poll's reads before and after issue 30's change (mailbox.ts), measured apart with this tool. */
const HELD_POLLS_MEASURED_APART = [
  "Held polls' reads, measured apart (2026-12-07, `npm run fleet -- --nodes 100 --scale 1 --minutes 1.5 --rollout 0`, the machine shared, load average about 20): a held GetMessages used to read its node's queue every second of its 19 s hold, 17.0 DynamoDB calls per poll (8,481 for 500 polls; 2,670 per node-hour, 92% of all the fleet's DynamoDB calls: at 20,000 nodes about 15,000 reads a second). Now `npm start` reads once per poll and wakes on its in-process signal, and no hold ends with a read: 1.28 calls per poll (640 for 500; 206 per node-hour). Deployed (every sender another function) a held poll still re-reads every second, one read fewer per poll than before.",
];

/** Where a loaded `npm start` waits, and what the known-empty queues saved (session 11, measured apart with this tool). */
const WAIT_FOUND = [
  "Where a loaded `npm start` waits (2026-12-08, the machine shared, load 8 to 20: figures to read as relations, not goals; `npm run fleet -- --nodes 1000 --scale 10 --minutes 3 --rollout 0`, the request rate of 10,000 nodes; the server's load probe, infra/local/load-probe.ts): not on CPU alone. In the start-up storm the server's 50 sockets to DynamoDB Local (shared/store/dynamodb-transport.ts) were all in flight and calls waited for one: socket wait p99 5.8 s, then DynamoDB Local answered in 41-72 ms (p50) — 50 calls in flight at ~55 ms is ~900 calls a second, what it served (117,000 calls in 140 s), with its process using 0.4 of a core. jstack of DynamoDB Local under that load: every SQLite statement runs on one thread (`SQLiteQueue[]`, sqlite4java), and every write holds one read/write lock over the whole database for its whole call (`LocalDBAccess$WriteLockWithTimeout`): of its request threads busy with a call (8 dumps, 166 thread samples), 103 waited to take the write lock, 43 reads waited behind a writer and 16 for their statement's turn on the SQLite thread; no two writes ever ran together. Alone with 50 callers it did 2,625 GetItem, 2,171 UpdateItem but 762 three-item TransactWriteItems a second (1,140 with 16 callers: more concurrency slows its transactions). So the ceiling is DynamoDB Local's calls a second, transactions above all, and more sockets would not raise it; each DynamoDB call a request saves does. The server's event loop was also 93-97% busy on the shared machine (timers late up to 1 s at p99).",
  "Known-empty queues (mailbox.ts, `MESSAGE_QUEUE_EMPTY_TRUST_SECONDS`, 300 under `npm start`), `npm run fleet -- --nodes 1000 --scale 10 --minutes 2 --rollout 0`, steady window, load 8 to 12 (02:13-02:23 UTC): with the trust off (`MESSAGE_QUEUE_EMPTY_TRUST_SECONDS=0`) 569 requests/s, 1.27 DynamoDB calls a request (GetMessages 1.07; 261 a node-hour), 721 calls a second, CPU per request server 0.67 ms, DynamoDB Local 0.35 ms, agents 0.25 ms (1.27 ms), event loop 72% busy, socket wait p99 1.5 s, worst p99 3.0 s; on, 574 requests/s, 0.35 calls a request (GetMessages 0.04; 71 a node-hour), 202 a second, CPU 0.40 + 0.18 + 0.26 ms (0.84 ms), event loop 45%, socket wait p99 0.27 s, worst p99 0.79 s (registration included), 0 errors. The start-up storm before it is unchanged in kind: ~670-870 DynamoDB calls a second with every socket busy (answers p50 31-80 ms, socket wait p99 4.8-5.4 s), its worst p99 30-51 s, 239-1,343 requests answered InternalServerError by the local 30 s timeout. At the agent's real intervals a node's key is also read once a minute (the credential cache's TTL, authenticator.ts), which a time-compressed run hides: about one request in four at `--scale 1`.",
];

type Figures = {
  count: number;
  p50: number;
  p99: number;
  max: number;
  errors: Record<string, number>;
  /** Absent from results taken before admission control (issue 30). */
  throttleRetries?: number;
};
// biome-ignore lint/suspicious/noExplicitAny: the results file is read as written by bench/fleet.ts
type FleetResults = Record<string, any>;

const met = (ok: boolean) => (ok ? "met" : "**not met**");
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
const errorsOf = (errors: Record<string, number>) =>
  Object.keys(errors).length === 0
    ? "0"
    : Object.entries(errors)
        .map(([code, n]) => `${code} ${n}`)
        .join(", ");

function callRows(calls: Record<string, Figures>): string[] {
  return [
    "| call | count | p50 ms | p99 ms | max ms | errors | throttled, retried |",
    "|---|---|---|---|---|---|---|",
    ...Object.entries(calls).map(
      ([op, f]) =>
        `| ${op} | ${f.count} | ${f.p50} | ${f.p99} | ${f.max} | ${errorsOf(f.errors)} | ${f.throttleRetries ?? "-"} |`,
    ),
  ];
}

/** The start-up storm (results of bench/fleet.ts from issue 30's session 11 on): every new node's first run. */
function startupLines(startup: FleetResults | undefined): string[] {
  if (!startup) return [];
  return [
    "",
    `Start-up storm (every new node runs the inventory association at its first poll; measured apart from the steady state): ${startup.seconds.toFixed(0)} s until ${startup.settled ? "every node had finished its first run" : `the settle time (${startup.firstRuns} nodes had run)`}, ${startup.requestsPerSecond} requests/s, ${startup.reportsPerSecond} reports/s, worst p99 ${startup.worstP99Ms} ms${startup.cpu ? `; CPU per request: server ${startup.cpu.server.toFixed(2)} ms, DynamoDB Local ${startup.cpu.dynamodb.toFixed(2)} ms, agents ${startup.cpu.client.toFixed(2)} ms, the cores ${(startup.cpu.utilization * 100).toFixed(0)}% busy` : ""}.`,
    "",
    ...callRows(startup.calls),
    ...sqliteLines(startup.sqliteThread),
    ...probeLines(startup.probe),
  ];
}

/** DynamoDB Local's one SQLite thread (bench/lib/cpu.ts threadMs): every statement of every call waits its turn on it. */
function sqliteLines(thread: FleetResults | undefined): string[] {
  if (!thread || Number.isNaN(thread.busy)) return [];
  return [
    "",
    `DynamoDB Local's SQLite thread (\`SQLiteQueue[]\`: every statement runs on it, one at a time): ${(thread.busy * 100).toFixed(0)}% of one core, ${thread.msPerRequest} ms per request; at 100% DynamoDB Local is saturated whatever the other core does.`,
  ];
}

/** The server's load probe over a phase (infra/local/load-probe.ts): where it waited. */
function probeLines(probe: FleetResults | undefined): string[] {
  if (!probe) return [];
  const calls = Object.entries(probe.dynamodb as Record<string, Record<string, number>>)
    .sort(([, a], [, b]) => (b.count ?? 0) - (a.count ?? 0))
    .map(
      ([name, c]) =>
        `${name} ${c.count} (socket wait p99 ${c.socketWaitP99Ms} ms, answer p50 ${c.answerP50Ms} / p99 ${c.answerP99Ms} ms)`,
    );
  return [
    "",
    `The server's load probe (${probe.windows} windows of 10 s): its event loop ${(probe.eventLoop.utilization * 100).toFixed(0)}% busy, timers late by up to ${probe.eventLoop.delayP99Ms} ms at p99 (${probe.eventLoop.delayMaxMs} ms at worst); up to ${probe.socketsInUseMax} sockets in use (requests being answered, held polls among them, and DynamoDB calls); DynamoDB calls: ${calls.join("; ")}.`,
  ];
}

export function fleetLines(r: FleetResults): string[] {
  const s = r.settings;
  const steady = r.steady;
  const lines = [
    START,
    "## A fleet (issue 30): `npm run fleet`",
    "",
    `Measured ${r.measured.date} on ${r.measured.cpus} cores, Node.js ${r.measured.node}, commit ${r.measured.commit}, with \`npm run fleet -- --nodes ${s.nodes} --scale ${s.scale} --minutes ${s.minutes} --rollout ${s.rollout}${s.messages ? "" : " --no-messages"}\` against ${s.endpoint}. Load average ${load(r.measured.loadAverage.before)} before, ${load(r.measured.loadAverage.after)} after (1 / 5 / 15 minutes)${r.measured.loadAverage.before[0] > 1.5 ? ": **the machine was shared, so these are not goal figures**" : ""}. Every node is a replayed SSM Agent over HTTP with its own registration and RSA signatures (a pool of ${Math.min(s.keyPool, s.nodes)} key pairs kept under .data/, ${s.keyPairsMade} made by this run in ${s.keyPoolSeconds?.toFixed(1)} s, shared round-robin: bench/lib/fleet/keys.ts) and node credentials, at the agent's default intervals${s.scale === 1 ? "" : ` compressed ×${s.scale} (the server's poll hold with them: ${s.holdSeconds.toFixed(2)} s)`} (bench/lib/fleet/intervals.ts cites them). The full figures: \`npm run fleet -- --full\` (20,000 nodes, real intervals, 15 minutes, a rollout to 10,000) on an idle machine.`,
    "",
    "| goal | figure | |",
    "|---|---|---|",
    `| steady state: ${steady.nodes} nodes, registration included, every call's p99 ≤ 1 s, 0 errors | worst p99 ${steady.worstP99Ms} ms, ${steady.errors} errors, ${steady.requestsPerSecond} requests/s | ${met(steady.goal.met)} |`,
    s.scale === 1 && steady.nodes >= 20_000
      ? `| ≥ 20,000 nodes at the agent's default intervals | ${steady.nodes} nodes | ${met(steady.goal.met)} |`
      : `| ≥ 20,000 nodes at the agent's default intervals | this run: ${steady.nodes} nodes${s.scale === 1 ? "" : `, time ×${s.scale}`} | not measured |`,
  ];
  const o = r.rollout;
  if (o) {
    lines.push(
      `| a rollout to ${o.nodes} nodes (MaxConcurrency 10%, MaxErrors 1%, ${o.failing} failing): 0 lost, refused or counted twice | ${o.status} ${o.resourceCountByStatus}; nodes: ${o.succeeded} succeeded, ${o.failed} failed; ${o.refused} refused; ${o.receivedTwice} received twice; ${o.polled ?? 0} ran it at their association poll; counts ${o.countsExact ? "exact" : "**not exact**"}; ${o.releasedAfterStop} released after the stop | ${met(o.refused === 0 && o.receivedTwice === 0 && o.countsExact && o.releasedAfterStop === 0)} |`,
      `| its wall time against the ideal wave time (${o.waves} waves × ${o.runSeconds} s) | ${o.wallSeconds.toFixed(1)} s / ${o.idealSeconds} s = ${(o.wallSeconds / o.idealSeconds).toFixed(2)}× | |`,
      `| 10,000 reports within one minute | ${o.succeeded + o.failed} final replies within ${o.reportsSpreadSeconds.toFixed(1)} s | ${o.nodes >= 10_000 ? met(o.reportsSpreadSeconds <= 60 && o.succeeded + o.failed >= 10_000) : "not measured (fewer nodes)"} |`,
      `| exact stop: ${o.expected} | ${o.status}, ${o.failed} failed, ${o.succeeded} succeeded, ${o.releasedAfterStop} told after the stop | ${o.stopExact === undefined ? "not measured" : met(o.stopExact)} |`,
      `| CreateAssociation answered; the run shown (a run of more than 1,000 targets is written by the scheduler's tick) | ${o.createMs?.toFixed(0)} ms; ${o.runShownSeconds?.toFixed(1)} s | |`,
      `| the service's retries (writes that lost a race) and transaction conflicts during the rollout | ${o.retries} retries, ${o.conflicts ?? "not counted"} conflicts (DynamoDB Local runs transactions one at a time: conflicts show on real DynamoDB only) | |`,
    );
  }
  lines.push(
    "",
    `Registration: ${r.registration.nodes} nodes in ${r.registration.seconds.toFixed(1)} s (${r.registration.perSecond}/s, ${s.inFlight} at once, activations of 1,000), ${r.registration.refused} refused.`,
    "",
    ...callRows(r.registration.calls),
    ...startupLines(r.startup),
    "",
    `Steady state, ${steady.wallSeconds.toFixed(0)} s (${steady.agentHours.toFixed(2)} agent hours): an empty GetMessages is held by design, so its figures are the time past the hold; \`GetMessages (delivered)\` answered with a message.${steady.cpu ? ` CPU per request: server ${steady.cpu.server.toFixed(2)} ms, DynamoDB Local ${steady.cpu.dynamodb.toFixed(2)} ms, the agents (this process) ${steady.cpu.client.toFixed(2)} ms; the cores ${(steady.cpu.utilization * 100).toFixed(0)}% busy with them (other users' work not counted).` : ""}`,
    "",
    ...callRows(steady.calls),
    ...sqliteLines(steady.sqliteThread),
    ...probeLines(steady.probe),
  );
  const total = r.perNodeHour?.total;
  if (total) {
    lines.push(
      "",
      `Per node and agent hour (from the server's request log, LOG_LEVEL=info): ${total.requests} requests, ${total.dynamodbCalls} DynamoDB calls, ${total.readCapacityUnits} read and ${total.writeCapacityUnits} write capacity units (as DynamoDB Local reports them), ${total.retries} retries. Each operation's own cost per request is in bench/fleet-results.json (\`perNodeHour.byOperation.<op>.perRequest\`), for pricing at rates other than this window's (the association's run here is one per node in the window, its four reports included).`,
      "",
      "| operation | requests | DynamoDB calls | read units | write units |",
      "|---|---|---|---|---|",
      ...Object.entries(r.perNodeHour.byOperation as Record<string, Record<string, number>>).map(
        ([op, c]) =>
          `| ${op} | ${c.requests} | ${c.dynamodbCalls} | ${c.readCapacityUnits} | ${c.writeCapacityUnits} |`,
      ),
    );
  }
  if (r.stored) {
    lines.push(
      "",
      `Stored: ${r.stored.perNode.bytes} bytes per node (${r.stored.perNode.items} items; ${r.stored.perNode.billedBytes} bytes with DynamoDB's 100 bytes per item; the base table only, index copies not counted), the account's run history and audit trail included.`,
    );
  }
  lines.push("", ...HELD_POLLS_MEASURED_APART);
  for (const found of WAIT_FOUND) lines.push("", found);
  lines.push(
    "",
    "To find the largest fleet one `npm start` serves (the steady-state goal), on an idle machine, step N until a goal row reads not met:",
    "",
    "```sh",
    "# the message channel on (every node holds a poll open: at most ~19,500 nodes a server process here)",
    "for n in 5000 10000 15000 19000; do",
    "  npm run fleet -- --nodes $n --scale 1 --minutes 10 --rollout 0 --out bench/fleet-$n.json",
    `  node -e "process.exit(require('./bench/fleet-$n.json').steady.goal.met ? 0 : 1)" || break`,
    "done",
    "# the channel off (--no-messages: no held connection), past 20,000",
    "for n in 10000 20000 30000 40000; do",
    "  npm run fleet -- --nodes $n --scale 1 --minutes 10 --rollout 0 --no-messages --out bench/fleet-$n-nomsg.json",
    `  node -e "process.exit(require('./bench/fleet-$n-nomsg.json').steady.goal.met ? 0 : 1)" || break`,
    "done",
    "npm run fleet -- --nodes 10000 --scale 1 --minutes 5 --rollout 10000   # the 10,000-node rollout; writes this section",
    "```",
    "",
    "Held polls are open connections: with `npm start`'s 19 s hold every node keeps one open (the agent polls again at once), and this machine allows a process 20,000 open files (`ulimit -Hn`; the container cannot raise it), so neither the server nor the load generator can hold more than about 19,500 nodes' polls, whatever the CPU. A fleet without the message channel (`--no-messages`: Mds endpoint unset, runs at the association poll) holds no connection.",
    "",
    END,
  );
  return lines;
}

/** The section as BENCHMARKS.md has it now (to keep when the rest of the page is rewritten), or none. */
export function currentFleetSection(file: URL): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  return start >= 0 && end > start ? ["", ...text.slice(start, end + END.length).split("\n")] : [];
}

/** Writes the section into BENCHMARKS.md: in place of the last one, else before "## Console". */
export function writeFleetSection(file: URL, r: FleetResults): void {
  const text = readFileSync(file, "utf8");
  const section = fleetLines(r).join("\n");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  let next: string;
  if (start >= 0 && end > start) next = text.slice(0, start) + section + text.slice(end + END.length);
  else {
    const console = text.indexOf("\n## Console");
    next = console >= 0 ? `${text.slice(0, console)}\n${section}\n${text.slice(console)}` : `${text}\n${section}\n`;
  }
  writeFileSync(file, next);
}
