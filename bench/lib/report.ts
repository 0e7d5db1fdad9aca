/**
 * The benchmark's results: their shape (bench/results.json), the table printed at the end of a
 * run, and BENCHMARKS.md, where each figure stands next to its goal, met or not.
 */
import { writeFileSync } from "node:fs";
import { LAMBDA_NODE_MAJOR } from "../../infra/build/node-runtime.ts";
import type { AccountsResult } from "./accounts.ts";
import type { BatchResult } from "./batch.ts";
import type { BundleRow } from "./bundles.ts";
import { COST_GOAL_PER_NODE } from "./cost.ts";
import { type CostResult, costLines, costVerdict } from "./cost-report.ts";
import type { CellCpu } from "./cpu.ts";
import { currentFleetSection } from "./fleet/report.ts";
import {
  BATCH_SECONDS,
  BUNDLE_BYTES,
  COMMAND_ACK_P50_MS,
  IMPORT_MS,
  MINIMUM_ROUND_TRIPS,
  NODE_VIEW_GROWTH,
  PUSH_IN_PROGRESS_P50_MS,
  PUSH_IN_PROGRESS_P99_MS,
  PUSH_WAVES_RATIO,
  READS_VS_MOTO,
  ROLLOUT_REPORT_P99_MS,
  SERVER_OVERHEAD_P50_MS,
  WRITES_VS_RAW,
} from "./goals.ts";
import type { LoadResult } from "./load.ts";
import { ADMISSION_MEASURED, MEASURED_APART } from "./measured-apart.ts";
import type { Overhead } from "./overhead.ts";
import type { PushResult } from "./push.ts";
import type { RolloutResult } from "./rollout.ts";
import type { RunCommandResult } from "./run-command.ts";
import type { ScaleResult } from "./scale.ts";

export type BenchResults = {
  date: string;
  command: string;
  settings: Record<string, unknown>;
  machine: {
    cpus: number;
    cpu: string;
    memoryGiB: number;
    node: string;
    platform: string;
    loadAverage: { before: number[]; after: number[] };
  };
  throughput: Record<string, { kind: "read" | "write"; ours: LoadResult[]; moto?: LoadResult[] }>;
  raw: Record<string, { label: string; rows: LoadResult[] }>;
  overhead: Overhead[];
  scale: ScaleResult;
  bundles: BundleRow[];
  /**
   * When the bundles were measured, with what and at what load: first in a full run, before
   * anything else of it starts; or apart (BENCH_ONLY=bundles), after the rest of the page.
   */
  bundlesMeasured?: {
    date: string;
    command: string;
    /** The Node.js that imported the bundles (process.version); absent in runs before it was recorded. */
    node?: string;
    loadAverage: { before: number[]; after: number[] };
    /** The same measure of an empty module in the same runs: the floor on this machine at that time. */
    emptyModuleMs?: number;
  };
  console: string[];
  /** A rollout to a fleet of replayed nodes (bench/lib/rollout.ts); absent in runs before issue 26. */
  rollout?: RolloutResult;
  /** CreateAssociationBatch of 2,000 entries (bench/lib/batch.ts); absent in runs before issue 29. */
  batch?: BatchResult;
  /** Run Command's delivery (bench/lib/run-command.ts); absent in runs before issue 27. */
  runCommand?: RunCommandResult;
  /** Big accounts (bench/lib/accounts.ts, BENCH_ONLY=accounts); absent in runs before issue 30. */
  accounts?: AccountsResult;
  /** The cost per node on AWS (bench/lib/cost-report.ts); absent in runs before issue 30. */
  cost?: CostResult;
  /** Association runs pushed over the message channel (bench/lib/push.ts); absent in runs before issue 28. */
  push?: PushResult;
  durationSeconds: number;
};

type Verdict = { goal: string; figure: string; met: boolean };

const yes = (met: boolean) => (met ? "met" : "**not met**");
const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(n < 10 ? 2 : 1));
const ops = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));
const cpuOf = (cpu: CellCpu | undefined, server: boolean) =>
  cpu
    ? `${server ? `${ms(cpu.server)} + ` : ""}${ms(cpu.dynamodb)} + ${ms(cpu.client)} = ${ms((server ? cpu.server : 0) + cpu.dynamodb + cpu.client)}`
    : "-";
const coresBusy = (cpu: CellCpu | undefined) => (cpu ? `${(cpu.utilization * 100).toFixed(0)}%` : "-");
const ratio = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "-" : `${n.toFixed(2)}×`);

/**
 * The raw baseline of an operation (raw.ts): for a read, its own DynamoDB calls replayed round
 * trip by round trip; for a write, a transaction of its transaction's shape.
 */
function baselineOf(r: BenchResults, operation: string): { label: string; rows: LoadResult[] } | undefined {
  const entry = r.throughput[operation];
  return entry ? r.raw[rawKey(entry.kind, operation)] : undefined;
}

/** Where results.json keeps an operation's raw baseline. */
export const rawKey = (kind: "read" | "write" | "bare", operation: string): string =>
  `${kind === "read" ? "calls" : kind}:${operation}`;

const at = (rows: LoadResult[] | undefined, concurrency: number) => rows?.find((x) => x.concurrency === concurrency);

/**
 * A write whose fewest round trips are more than the raw transaction's one can't reach the raw's
 * pace at c=1: each read it must make first adds a DynamoDB Local round trip the raw never waits for.
 */
function tripsNote(operation: string): string {
  const trips = MINIMUM_ROUND_TRIPS[operation]?.trips ?? 1;
  return trips > 1 ? ` (${trips} round trips at the fewest, against the raw's 1)` : "";
}

/**
 * The bare server's cells (bench/bare-server.ts: HTTP in, the operation's own calls replayed, a
 * write's transaction on fresh keys, our answer out), where a ratio has a goal.
 */
const bareOf = (r: BenchResults, operation: string) => r.raw[rawKey("bare", operation)];

/**
 * A ratio's best, what a server that added nothing of its own reaches: the bare server's
 * throughput over the other side's (the raw's for a write, moto's for a read) in the same cell.
 * Under the goal, no server making the operation's calls can meet it on this machine.
 */
function ceilingOf(r: BenchResults, operation: string, other: LoadResult, concurrency: number): number | undefined {
  const bare = at(bareOf(r, operation)?.rows, concurrency);
  return bare && bare.requests > 0 && other.requests > 0 ? bare.throughput / other.throughput : undefined;
}

/** How the goals table names a ceiling. */
const CEILING = "a bare server making its DynamoDB calls, no time of its own";

export function verdicts(r: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  for (const o of r.overhead) {
    out.push({
      goal: `${o.operation}: server's own time p50 ≤ ${SERVER_OVERHEAD_P50_MS} ms`,
      figure: `${ms(o.oursP50)} ms`,
      met: o.oursP50 <= SERVER_OVERHEAD_P50_MS,
    });
  }
  for (const [operation, entry] of Object.entries(r.throughput)) {
    for (const row of entry.ours) {
      const moto = at(entry.moto, row.concurrency);
      const baseline = baselineOf(r, operation);
      const raw = at(baseline?.rows, row.concurrency);
      // Beside a ratio, its ceiling (ceilingOf): where it is under the goal, no server can meet
      // the goal on this machine; the figure says so rather than leaving the miss unexplained.
      if (entry.kind === "read" && moto && moto.requests > 0) {
        const x = row.throughput / moto.throughput;
        const ceiling = ceilingOf(r, operation, moto, row.concurrency);
        out.push({
          goal: `${operation} c=${row.concurrency}: ≥ ${READS_VS_MOTO}× moto_server`,
          figure:
            ceiling === undefined
              ? ratio(x)
              : `${ratio(x)} (${CEILING}: ${ratio(ceiling)}${ceiling < READS_VS_MOTO ? ", under the goal" : ""})`,
          met: x >= READS_VS_MOTO,
        });
      }
      if (entry.kind === "write" && baseline && raw) {
        const x = row.throughput / raw.throughput;
        const ceiling = ceilingOf(r, operation, raw, row.concurrency);
        out.push({
          goal: `${operation} c=${row.concurrency}: ≥ ${WRITES_VS_RAW}× raw ${baseline.label}`,
          figure:
            raw.requests > 0
              ? `${ratio(x)}${tripsNote(operation)}${
                  ceiling === undefined || x >= WRITES_VS_RAW
                    ? ""
                    : ` (${CEILING}: ${ratio(ceiling)}${ceiling < WRITES_VS_RAW ? ", under the goal" : ""})`
                }`
              : `raw not measured (${raw.firstError ?? "no answers"})`,
          met: raw.requests > 0 && x >= WRITES_VS_RAW,
        });
      }
    }
  }
  const points = r.scale.points;
  const first = points[0];
  const last = points[points.length - 1];
  if (first && last && first !== last) {
    for (const view of ["ListInstanceAssociations", "DescribeEffectiveInstanceAssociations"]) {
      const a = first.views[view]?.p50 ?? Number.NaN;
      const b = last.views[view]?.p50 ?? Number.NaN;
      out.push({
        goal: `${view} p50 at ${last.associations} associations ≤ ${NODE_VIEW_GROWTH}× at ${first.associations}`,
        figure: `${ms(b)} / ${ms(a)} ms = ${ratio(b / a)}`,
        met: b / a <= NODE_VIEW_GROWTH,
      });
    }
  }
  const bigBundles = r.bundles.filter((b) => b.bytes > BUNDLE_BYTES);
  const largest = Math.max(...r.bundles.map((b) => b.bytes));
  out.push({
    goal: `every bundle ≤ ${BUNDLE_BYTES / 1024} KB`,
    figure: `${r.bundles.length - bigBundles.length} of ${r.bundles.length}; largest ${(largest / 1024).toFixed(0)} KB`,
    met: bigBundles.length === 0,
  });
  const rollout = r.rollout;
  if (rollout) {
    out.push({
      goal: `a rollout to ${rollout.nodes} nodes (MaxConcurrency 10%, MaxErrors 1%, 2% failing) finishes, nothing refused, counts exact`,
      figure: `${rollout.status} in ${rollout.wallSeconds.toFixed(0)} s; ${Object.values(rollout.reports.errors).reduce((a, b) => a + b, 0)} refused; counts ${rollout.countsExact ? "exact" : "off"}; ${rollout.releasedAfterStop} started after the stop`,
      met:
        rollout.finished &&
        rollout.countsExact &&
        rollout.releasedAfterStop === 0 &&
        Object.keys(rollout.reports.errors).length === 0,
    });
    out.push({
      goal: `its reports (UpdateInstanceAssociationStatus) p99 ≤ ${ROLLOUT_REPORT_P99_MS} ms`,
      figure: `p99 ${ms(rollout.reports.p99)} ms (p50 ${ms(rollout.reports.p50)})`,
      met: rollout.reports.p99 <= ROLLOUT_REPORT_P99_MS,
    });
  }
  const batch = r.batch;
  if (batch) {
    out.push({
      goal: `CreateAssociationBatch of ${batch.entries} entries answers within API Gateway's ${BATCH_SECONDS} s, every entry created`,
      figure: `${batch.seconds.toFixed(1)} s; ${batch.created} created, ${batch.failed} failed`,
      met: batch.status === 200 && batch.created === batch.entries && batch.seconds <= BATCH_SECONDS,
    });
  }
  const accounts = r.accounts;
  if (accounts) {
    const judged = accounts.rows.filter((row) => row.goal === "flat" || row.goal === "bounded");
    const held = judged.filter((row) => accountsVerdict(row) === true);
    const sizes = accounts.rows[0]?.cells.map((c) => c.nodes.toLocaleString("en-US")).join(" / ");
    out.push({
      goal: `big accounts (${sizes} nodes, ${accounts.associations.toLocaleString("en-US")} associations): every request's DynamoDB calls flat, or bounded with a NextToken`,
      figure: `${held.length} of ${judged.length} requests`,
      met: held.length === judged.length,
    });
  }
  const command = r.runCommand;
  if (command) {
    out.push({
      goal: `SendCommand → a polling agent's AcknowledgeMessage p50 ≤ ${COMMAND_ACK_P50_MS} ms (npm start)`,
      figure: `p50 ${ms(command.toAcknowledge.p50)} ms (p99 ${ms(command.toAcknowledge.p99)})`,
      met: command.toAcknowledge.p50 <= COMMAND_ACK_P50_MS,
    });
  }
  if (r.cost) {
    const { deployed, cheapest } = costVerdict(r.cost);
    for (const c of deployed === cheapest ? [deployed] : [deployed, cheapest]) {
      out.push({
        goal: `cost per node a month on AWS ≤ $${COST_GOAL_PER_NODE.toFixed(2)}, everything included: ${c === deployed ? "as deployed" : `cheapest (${c.deployment.name})`}`,
        figure: `$${c.perNode.toFixed(3)} ($${c.total.toFixed(0)} per 1,000 nodes)`,
        met: c.perNode <= COST_GOAL_PER_NODE,
      });
    }
  }
  if (r.push) out.push(...pushVerdicts(r.push));
  const timed = r.bundles.filter((b) => b.importMs !== undefined);
  const slow = timed.filter((b) => (b.importMs ?? 0) > IMPORT_MS);
  out.push({
    goal: `every function imports in ≤ ${IMPORT_MS} ms (fresh process)`,
    figure: `${timed.length - slow.length} of ${timed.length}; median ${ms(median(timed.map((b) => b.importMs ?? 0)))} ms, slowest ${ms(Math.max(...timed.map((b) => b.importMs ?? 0)))} ms`,
    met: slow.length === 0,
  });
  return out;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Whether figures were measured on the Node.js the template deploys: those from another say so. */
const onDeployedRuntime = (version: string) =>
  Number(version.replace(/^v/, "").split(".")[0]) === LAMBDA_NODE_MAJOR
    ? ` (the deployed runtime's major version)`
    : ` (not the deployed runtime: the template deploys Node.js ${LAMBDA_NODE_MAJOR}; run the bench on it, as \`.ci/node.sh\` provides it)`;

export function writeMarkdown(r: BenchResults, file: URL): void {
  const m = r.machine;
  // The load before the run says whether other work shared the machine: the run itself keeps
  // both cores busy, so the load after is always high.
  const busy = (m.loadAverage.before[0] ?? 0) > m.cpus * 0.5;
  const lines: string[] = [
    "# Benchmarks",
    "",
    `Written by \`${r.command}\` (bench/run.ts; raw figures in bench/results.json). Measured ${r.date} on ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node.js ${m.node}${onDeployedRuntime(m.node)}, ${m.platform}; the run took ${(r.durationSeconds / 60).toFixed(1)} minutes.`,
    "",
    busy
      ? `**Measured under load**: the machine was shared with other work (load average ${m.loadAverage.before[0]?.toFixed(1)} before the run, on ${m.cpus} cores), so absolute figures are noisy; ratios from the same run hold up better. Re-run on an idle machine for reference figures.`
      : `The machine was otherwise idle (load average ${m.loadAverage.before[0]?.toFixed(1)} before the run; ${m.loadAverage.after[0]?.toFixed(1)} after it, the run's own).`,
    "",
    "Everything runs on this machine: the local endpoint `npm start` serves (HTTP adapter and the real handlers) on DynamoDB Local in memory, driven by the SDK v3 client with SigV4; moto_server (Python) as a peer; the stores' own low-level DynamoDB client, with no server, on the same DynamoDB Local as the physical limit. Throughput is closed-loop: each of *c* clients sends its next request when the last one is answered.",
    "",
    "## Goals",
    "",
    "| goal | figure | |",
    "|---|---|---|",
    ...verdicts(r).map((v) => `| ${v.goal} | ${v.figure} | ${yes(v.met)} |`),
    "",
    "## Throughput and latency over HTTP",
    "",
    "p50/p99 in ms. *Raw* is what the same work costs DynamoDB Local with the stores' own DynamoDB client (the SDK's, on shared/store/dynamodb-transport.ts) and no server, and the *raw* column names it for each row. For a read (lists included) it is the operation's own DynamoDB calls, recorded from one request and replayed as they were (same keys, same Query pages and page sizes, same batches), round trip by round trip (→ separates round trips, + joins calls sent together); for a write, a TransactWriteItems of as many items (and about as many bytes) as the operation's own transaction, on fresh keys. Where a ratio has a goal (a write's to the raw, a read's to moto_server), the operation is also sent to the *bare server* (bench/bare-server.ts): an HTTP server in a process of its own, as ours is, that makes the operation's own calls with the stores' DynamoDB client and answers what ours answered to the same request (so the client reads as much), with no SigV4, validation or domain work and no answer to build: a read's calls replayed as above; a write's reads, then its own transaction's items written again on fresh keys (each condition made one a fresh key passes, an Update written as a Put of its values). It is our endpoint with all of its own time taken out. Each of our cells is interleaved with moto_server's, the raw's and the bare server's at the same concurrency: each runs in two halves of its time, in the mirrored order ours, moto, raw, bare, bare, raw, moto, ours, so all see the same conditions (DynamoDB Local's own warm-up, the table's size, the machine, whose speed drifts by up to 2× over minutes here). Our endpoint is `npm start` in a process of its own, sent each workload before the first cell. The goals table gives a ratio's ceiling (for a write, only where it is missed): the bare server's throughput over the other side's, measured in the same cell, as ours is, so with the same noise (a run's ratios move by up to about 0.1 from one run to the next); where ours comes out above it, read the two as equal, except for a read above c=1: there our endpoint joins the reads of requests in flight together into one BatchGetItem (shared/store/items.ts), which the bare server's replay, one request's calls at a time, does not, so ours can pass it for real. *CPU ms per request* is each process's CPU time (user and system, from /proc) over the cell, divided by the requests answered: the endpoint (`npm start`; in the bare server's cells, the bare server), DynamoDB Local's Java process and this process, the load generator (the SDK v3 client; for the raw, the stores' DynamoDB client); *cores busy* is all of them (moto_server included) over the cell's time and the machine's cores. Above c=1 our cells keep the cores about 80–90% busy, and the processes take turns on them: the server's CPU per request (its HTTP, its DynamoDB calls through the SDK, its own work) is then time DynamoDB Local waits for. The raw's cells leave the cores idler (about 60% busy) and gain little from c=1 to c=32: their limit is DynamoDB Local itself, not the machine.",
    "",
    "| operation | c | ops/s | p50 | p99 | errors | moto ops/s | ours ÷ moto | raw | raw ops/s | ours ÷ raw | bare server: ops/s (÷ raw for a write, ÷ moto for a read) | CPU ms per request: ours (server + DynamoDB Local + client) | raw (DynamoDB Local + client) | cores busy: ours, raw |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [operation, entry] of Object.entries(r.throughput)) {
    const baseline = baselineOf(r, operation);
    const bareRows = bareOf(r, operation)?.rows;
    for (const row of entry.ours) {
      const moto = at(entry.moto, row.concurrency);
      const raw = at(baseline?.rows, row.concurrency);
      const bare = at(bareRows, row.concurrency);
      // Over the side the goal compares with: the raw for a write, moto_server for a read.
      const other = entry.kind === "write" ? raw : moto;
      const bareCell = bare
        ? `${ops(bare.throughput)}${other ? ` (${ratio(bare.throughput / other.throughput)})` : ""}`
        : "-";
      lines.push(
        `| ${operation} | ${row.concurrency} | ${ops(row.throughput)} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.errors} | ${ops(moto?.throughput)} | ${moto ? ratio(row.throughput / moto.throughput) : "-"} | ${baseline?.label ?? "-"} | ${ops(raw?.throughput)} | ${raw ? ratio(row.throughput / raw.throughput) : "-"} | ${bareCell} | ${cpuOf(row.cpu, true)} | ${cpuOf(raw?.cpu, false)} | ${coresBusy(row.cpu)}, ${coresBusy(raw?.cpu)} |`,
      );
    }
  }
  lines.push(
    "",
    "## The server's own time and its DynamoDB calls",
    "",
    `Each request handed to the operation's real handler in process (the API Gateway event, signed beforehand), ${String(r.settings.overheadRequests)} in a row, with a middleware on the store's DynamoDB client timing every call (from the SDK's first middleware step: the client's per-call work, marshalling included, counts as the call's; the stores' own middleware that escapes map keys counts as ours). *Ours* is the handler's time minus the time a DynamoDB call was in flight: SigV4 verification, the credential lookup, validation, the domain's work and serialization; the HTTP adapter and the client are outside it (they are the difference to the c=1 HTTP p50 above). Capacity: units DynamoDB Local reports (ReturnConsumedCapacity TOTAL, asked during the warm-up only: DynamoDB Local works it out item by item, which would add to the timed calls and the service never asks for it). Goal: ours p50 ≤ ${SERVER_OVERHEAD_P50_MS} ms.`,
    "",
    "The same requests, in turn, over HTTP: *HTTP* is the local endpoint through the SDK v3 client at c=1; *client floor* is the same client against a server that answers `{}` at once (signing, serialization, an HTTP round trip on this machine); *adapter* is what is left (HTTP − floor − handler): the local HTTP adapter, infra/local/server.ts.",
    "",
    "| operation | HTTP p50 | client floor | adapter | handler p50 | DynamoDB p50 | ours p50 | ours p99 | | calls | round trips | fewest | capacity | calls made |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const o of r.overhead) {
    const minimum = MINIMUM_ROUND_TRIPS[o.operation];
    lines.push(
      `| ${o.operation} | ${ms(o.httpP50)} | ${ms(o.clientFloorP50)} | ${ms(o.httpP50 - o.clientFloorP50 - o.handlerP50)} | ${ms(o.handlerP50)} | ${ms(o.dynamoP50)} | ${ms(o.oursP50)} | ${ms(o.oursP99)} | ${yes(o.oursP50 <= SERVER_OVERHEAD_P50_MS)} | ${o.calls} | ${o.roundTrips} | ${minimum ? `${minimum.trips} (${minimum.why})` : "-"} | ${o.capacity?.toFixed(1) ?? "-"} | ${o.callList} |`,
    );
  }
  const s = r.scale;
  lines.push(
    "",
    "## Scale: the node's view and the account's first page",
    "",
    `Each size is an account of its own in the same table, with a node of its own to which 4 of its associations apply (seeded through the real handlers, ${s.seeding.associations} associations in ${s.seeding.seconds.toFixed(0)} s, ${s.seeding.perSecond.toFixed(0)}/s). All are seeded first; then the requests go one at a time, round the sizes and operations in turns, ${String(r.settings.scaleRequests)} of each, so every size is measured at the same moments (this machine's speed drifts by up to 2× over minutes). p50 (p99) in ms over HTTP at c=1, and the DynamoDB calls of one request.`,
    "",
    "| associations | ListInstanceAssociations (node credentials) | DescribeEffectiveInstanceAssociations | ListAssociations, first page |",
    "|---|---|---|---|",
  );
  for (const p of s.points) {
    const cell = (name: string) => {
      const v = p.views[name];
      return v ? `${ms(v.p50)} (${ms(v.p99)}); ${v.callCount} calls` : "-";
    };
    lines.push(
      `| ${p.associations} | ${cell("ListInstanceAssociations")} | ${cell("DescribeEffectiveInstanceAssociations")} | ${cell("ListAssociations")} |`,
    );
  }
  if (s.tick) {
    lines.push(
      "",
      `Scheduler tick with ${s.tick.associations} associations in the table of which ${s.tick.due} are due: ${ms(s.tick.ms)} ms (DynamoDB in flight ${ms(s.tick.dynamoMs)} ms), ${s.tick.calls} DynamoDB calls (${s.tick.callSummary}); answered ${JSON.stringify(s.tick.result)}.`,
    );
  }
  lines.push(
    "",
    "## Cold start: bundles",
    "",
    ...(r.bundlesMeasured
      ? [
          `${r.bundlesMeasured.command.includes("BENCH_ONLY") ? "Measured apart from the rest of this page" : "Measured first in this run, before DynamoDB Local, the endpoint or moto_server started"}: ${r.bundlesMeasured.date} with \`${r.bundlesMeasured.command}\`${r.bundlesMeasured.node ? ` on Node.js ${r.bundlesMeasured.node}${onDeployedRuntime(r.bundlesMeasured.node)}` : ""} (load average ${r.bundlesMeasured.loadAverage.before.map((x) => x.toFixed(1)).join(" / ")} before, ${r.bundlesMeasured.loadAverage.after.map((x) => x.toFixed(1)).join(" / ")} after, over 1 / 5 / 15 minutes).`,
          "",
        ]
      : []),
    `\`npm run build\`'s bundle of each function (what the template deploys) and the time to import it in a fresh Node.js process: \`await import()\` of the bundle, timed inside a process started for it (Node's own start not counted), ${String(r.settings.importRuns)} times per function (blank: not timed in a quick run); the figure is the median. All bundles are built and flushed to disk (\`sync\`) first, one is imported twice and discarded (so the first function measured does not pay for the first touch of Node and the disk cache), and the runs go round the functions (run 1 of each, then run 2, ...), so a passing disturbance costs a function one sample at most. Wall clock is the goal's measure; CPU time is what the import costs when other processes share the cores. Goals: ≤ ${BUNDLE_BYTES / 1024} KB, ≤ ${IMPORT_MS} ms.${r.bundlesMeasured?.emptyModuleMs === undefined ? "" : ` An empty module, imported the same way in the same runs, took ${ms(r.bundlesMeasured.emptyModuleMs)} ms: Node's module loader alone, the floor on this machine at that time (in it are a fresh process's first ESM import and nothing of ours).`}`,
    "",
    "KB is the whole bundle (what is deployed); KB at import is what a cold start loads and compiles of it: index.mjs and the chunks it imports statically, not the files of dynamic imports that only a rare path loads (GetDocument's conversion between JSON and YAML).",
    "",
    "| function | KB | KB at import | import ms | CPU ms | |",
    "|---|---|---|---|---|---|",
  );
  const kb = (bytes: number | undefined) => (bytes === undefined ? "-" : (bytes / 1024).toFixed(0));
  for (const b of r.bundles) {
    const met = b.bytes <= BUNDLE_BYTES && (b.importMs === undefined || b.importMs <= IMPORT_MS);
    lines.push(
      `| ${b.name} | ${kb(b.bytes)} | ${kb(b.importBytes)} | ${ms(b.importMs)} | ${ms(b.importCpuMs)} | ${yes(met)} |`,
    );
  }
  const sample = r.bundles.find((b) => b.name === "CreateDocument");
  if (sample) {
    lines.push(
      "",
      `Largest parts of CreateDocument (at import): ${sample.largest.map(([owner, bytes]) => `${owner} ${(bytes / 1024).toFixed(0)} KB`).join(", ")}.`,
    );
  }
  if (r.rollout) lines.push(...rolloutLines(r.rollout));
  if (r.runCommand) lines.push(...runCommandLines(r.runCommand));
  if (r.accounts) lines.push(...accountsLines(r.accounts));
  if (r.cost) lines.push(...costLines(r.cost));
  if (r.push) lines.push(...pushLines(r.push));
  lines.push("", ...MEASURED_APART);
  // `npm run fleet` writes its own section (bench/lib/fleet/report.ts): kept as it is.
  lines.push(...currentFleetSection(file));
  lines.push("", ...ADMISSION_MEASURED);
  lines.push("", "## Console", "", "From bench/console.ts:", "", "```", ...r.console, "```", "");
  writeFileSync(file, lines.join("\n"));
}

export function printSummary(r: BenchResults): void {
  console.log("");
  console.log(
    "goal                                                                   figure                      verdict",
  );
  for (const v of verdicts(r)) console.log(`${v.goal.padEnd(70)} ${v.figure.padEnd(27)} ${v.met ? "met" : "NOT MET"}`);
  console.log(`\nwrote bench/results.json and BENCHMARKS.md in ${(r.durationSeconds / 60).toFixed(1)} minutes`);
}

/** Run Command's section (bench/lib/run-command.ts says what it does). */
function runCommandLines(o: RunCommandResult): string[] {
  return [
    "",
    "## Run Command: delivery, and an idle node's poll (issue 27)",
    "",
    `A replayed SSM Agent polls \`npm start\`'s message channel over HTTP (held polls, woken when a message for its node is written); ${o.commands} commands are sent one after another, each run to its end before the next (bench/lib/run-command.ts). An idle poll: GetMessages through the real handler in process with nothing queued (hold 0, as deployed), ${o.idlePolls} polls, the first (credentials not yet cached) left out.`,
    "",
    "| figure | value |",
    "|---|---|",
    `| SendCommand sent → the agent's AcknowledgeMessage sent, p50 / p99 / max | ${ms(o.toAcknowledge.p50)} / ${ms(o.toAcknowledge.p99)} / ${ms(o.toAcknowledge.max)} ms |`,
    `| SendCommand sent → GetMessages answered with the message, p50 / p99 | ${ms(o.toDelivery.p50)} / ${ms(o.toDelivery.p99)} ms |`,
    `| an idle poll's DynamoDB calls | ${o.idlePoll.calls} |`,
    `| an idle poll's own time (handler minus DynamoDB), p50 / p99 | ${ms(o.idlePoll.oursP50)} / ${ms(o.idlePoll.oursP99)} ms (DynamoDB ${ms(o.idlePoll.dynamoP50)} ms) |`,
  ];
}

/** The rollout's section (bench/lib/rollout.ts says what it does). */
function rolloutLines(o: RolloutResult): string[] {
  const errors = (e: Record<string, number>) =>
    Object.keys(e).length === 0
      ? "none"
      : Object.entries(e)
          .map(([code, n]) => `${code} ${n}`)
          .join(", ");
  return [
    "",
    "## A rollout to a fleet (issue 26)",
    "",
    ...(o.measured
      ? [
          `Measured ${o.measured.date} on Node.js ${o.measured.node} (load average ${o.measured.loadAverage.before.map((x) => x.toFixed(1)).join(" / ")} before, ${o.measured.loadAverage.after.map((x) => x.toFixed(1)).join(" / ")} after, over 1 / 5 / 15 minutes).`,
          "",
        ]
      : []),
    `One association targeting ${o.nodes} replayed nodes by tag (MaxConcurrency 10% = ${o.maxConcurrency}, MaxErrors 1% = ${o.maxErrors}, ${o.failing} nodes (2%) failing), each node a replayed SSM Agent with its own node credentials over HTTP to \`npm start\` (bench/lib/rollout.ts): it polls ListInstanceAssociations every ${o.pollSeconds} s at its own offset (the agent's 5 to 10 minutes, time-compressed), and once told to run reports Pending and InProgress, runs for ${o.runSeconds} s, then reports InProgress with the plugin summary and its final status. The nodes were registered first (one activation, ${o.registrationSeconds.toFixed(0)} s, not counted). The ideal wave time is the waves the nodes that ran needed at MaxConcurrency, ${o.runSeconds} s each; the rollout also waits for each next node's poll.`,
    "",
    "| figure | value |",
    "|---|---|",
    `| run status | ${o.status} (${o.finished ? "finished" : "**not finished**"}), ResourceCountByStatus ${o.resourceCountByStatus} |`,
    `| nodes that ran | ${o.ran}: ${o.succeeded} Success, ${o.failed} Failed; ${o.skipped} Skipped after the stop |`,
    `| counts the run shows vs what the nodes did | ${o.countsExact ? "exact" : "**differ**"} |`,
    `| nodes told to run after the stopping error (MaxErrors + 1) was answered | ${o.releasedAfterStop} |`,
    `| wall time, CreateAssociation to the run's final status | ${o.wallSeconds.toFixed(1)} s |`,
    `| ideal wave time (${o.waves} waves × ${o.runSeconds} s) | ${o.idealSeconds.toFixed(1)} s (wall ÷ ideal ${(o.wallSeconds / o.idealSeconds).toFixed(2)}) |`,
    `| UpdateInstanceAssociationStatus: answers, p50 / p99 / max ms, refused | ${o.reports.count}, ${ms(o.reports.p50)} / ${ms(o.reports.p99)} / ${ms(o.reports.max)}, ${errors(o.reports.errors)} |`,
    `| ListInstanceAssociations polls: answers, p50 / p99 / max ms, errors | ${o.polls.count}, ${ms(o.polls.p50)} / ${ms(o.polls.p99)} / ${ms(o.polls.max)}, ${errors(o.polls.errors)} |`,
  ];
}

/** The goals of issue 28 against a pushed run's figures. */
function pushVerdicts(o: PushResult): Verdict[] {
  const latency = o.toInProgress.all;
  const run = o.run;
  const errors = o.rateControlled.maxErrors;
  return [
    {
      goal: `CreateAssociation → the node's InProgress report p50 ≤ ${PUSH_IN_PROGRESS_P50_MS / 1000} s (agent long-polling npm start)`,
      figure: `p50 ${ms(latency.p50)} ms (${latency.count} runs)`,
      met: latency.p50 <= PUSH_IN_PROGRESS_P50_MS,
    },
    {
      goal: `CreateAssociation → the node's InProgress report p99 ≤ ${PUSH_IN_PROGRESS_P99_MS / 1000} s`,
      figure: `p99 ${ms(latency.p99)} ms (max ${ms(latency.max)})`,
      met: latency.p99 <= PUSH_IN_PROGRESS_P99_MS,
    },
    {
      goal: `a pushed run over ${o.rateControlled.nodes} nodes (MaxConcurrency ${o.rateControlled.maxConcurrency}, MaxErrors ${errors}, ${o.rateControlled.runSeconds} s each) ≤ ${PUSH_WAVES_RATIO}× the ideal wave time`,
      figure: `${run.wallSeconds.toFixed(1)} s / ${run.idealSeconds.toFixed(0)} s = ${ratio(run.wallSeconds / run.idealSeconds)}`,
      met: run.wallSeconds <= PUSH_WAVES_RATIO * run.idealSeconds,
    },
    {
      goal: `its stop at error ${errors + 1}: counts exact, no node run twice, none handed the run after the stop`,
      figure: `${run.ran} ran (${run.succeeded} Success, ${run.failed} Failed), ${run.skipped} Skipped; counts ${run.countsExact ? "exact" : "off"}; ${run.ranTwice} twice; ${run.deliveredAfterStop} after`,
      met:
        run.status === "Failed" &&
        run.countsExact &&
        run.ranTwice === 0 &&
        run.deliveredAfterStop === 0 &&
        run.failed === errors + 1,
    },
  ];
}

/** The pushed runs' section (bench/lib/push.ts says what it does). */
function pushLines(o: PushResult): string[] {
  const s = o.rateControlled;
  const spread = (x: { count: number; p50: number; p99: number; max: number }) =>
    `${ms(x.p50)} / ${ms(x.p99)} / ${ms(x.max)} ms (${x.count})`;
  return [
    "",
    "## Association runs pushed over the message channel (issue 28)",
    "",
    ...(o.measured
      ? [
          `Measured ${o.measured.date} on Node.js ${o.measured.node} (load average ${o.measured.loadAverage.before.map((x) => x.toFixed(1)).join(" / ")} before, ${o.measured.loadAverage.after.map((x) => x.toFixed(1)).join(" / ")} after, over 1 / 5 / 15 minutes). Alone: \`BENCH_ONLY=push npm run bench\`.`,
          "",
        ]
      : []),
    `Replayed SSM Agents poll \`npm start\`'s message channel over HTTP as the agent's loop does (test/support/run-command-agent.ts \`pollLoop\`, from agent/messageservice/interactor/mdsinteractor/mdsinteractor.go: one GetMessages at a time, the next at once after a poll held a second or more, a pause of 2 to 2.5 s after one answered sooner); \`npm start\` holds an empty poll up to ${o.holdSeconds} s and answers it the moment a message for its node is written (bench/lib/push.ts).`,
    "",
    `CreateAssociation → the node's InProgress report: ${o.latencyNodes} nodes; ${o.sequential} CreateAssociations one at a time (the nodes in turn), then ${o.concurrentRounds} rounds of ${o.latencyNodes} at once (one per node), each targeting one node and sent while its agent has its poll out (an idle agent nearly always has); timed from CreateAssociation sent to the agent's InProgress reply answered (its first report of the run, before its acknowledgement). A creation that comes in the 2 to 2.5 s pause after the agent took another message waits for its next poll, up to that pause more.`,
    "",
    "| figure | p50 / p99 / max (samples) |",
    "|---|---|",
    `| CreateAssociation sent → InProgress reply answered, all | ${spread(o.toInProgress.all)} |`,
    `| one at a time | ${spread(o.toInProgress.sequential)} |`,
    `| ${o.latencyNodes} at once | ${spread(o.toInProgress.concurrent)} |`,
    `| CreateAssociation sent → the poll answered with the message | ${spread(o.toDelivery)} |`,
    `| polls that failed | ${o.pollErrors} |`,
    "",
    `A rate-controlled run: one association over ${s.nodes} nodes by tag, MaxConcurrency ${s.maxConcurrency}, MaxErrors ${s.maxErrors}; each node runs ${s.runSeconds} s from the moment it gets the message, and the nodes that are number ${s.failingAt.join(", ")} to get it fail: the error of number ${s.failingAt[s.maxErrors]} is error ${s.maxErrors + 1} (MaxErrors + 1), which stops the run (issue 26's rule: after it, no release commits; a node released before it runs, unless its message was still in the queue, then taken back and Skipped). Wall time from CreateAssociation sent to the last node's final reply answered; the ideal wave time is the waves the nodes that ran needed at MaxConcurrency, ${s.runSeconds} s each.`,
    "",
    "| figure | value |",
    "|---|---|",
    `| run status | ${o.run.status}, ResourceCountByStatus ${o.run.resourceCountByStatus} |`,
    `| nodes that ran before the stop | ${o.run.ran}: ${o.run.succeeded} Success, ${o.run.failed} Failed; ${o.run.skipped} Skipped |`,
    `| counts the run shows vs what the nodes did | ${o.run.countsExact ? "exact" : "**differ**"} |`,
    `| nodes that got the run twice; messages handed out after the stopping error was answered | ${o.run.ranTwice}; ${o.run.deliveredAfterStop} |`,
    `| wall time | ${o.run.wallSeconds.toFixed(2)} s |`,
    `| ideal wave time (${o.run.waves} waves × ${s.runSeconds} s) | ${o.run.idealSeconds.toFixed(1)} s (wall ÷ ideal ${ratio(o.run.wallSeconds / o.run.idealSeconds)}, goal ≤ ${PUSH_WAVES_RATIO}×) |`,
    `| CreateAssociation sent → the first wave's ${s.maxConcurrency} messages handed out | ${ms(o.run.firstWaveMs)} ms |`,
    `| a node's final reply answered → the next node's poll answered with the message (in order), p50 / p99 / max | ${spread(o.run.handOver)} |`,
    `| a run's last two replies (the plugin's, then the final one), p50 / p99 / max | ${spread(o.run.replies)} |`,
  ];
}

/** Big accounts' section (bench/lib/accounts.ts says what it does). */
function accountsLines(o: AccountsResult): string[] {
  const sizes = o.rows[0]?.cells.map((c) => c.nodes.toLocaleString("en-US")) ?? [];
  const everyNode = o.rows.find((row) => row.what.startsWith("InstanceIds=*"))?.cells.at(-1);
  const onePercent = o.rows.find((row) => row.what.includes("1% of the nodes), pushed"))?.cells.at(-1);
  const flat = (row: AccountsResult["rows"][number]) => {
    const verdict = accountsVerdict(row);
    return verdict === undefined ? "as expected" : yes(verdict);
  };
  return [
    "",
    "## Big accounts: 1,000 to 100,000 nodes, 2,000 associations (issue 30)",
    "",
    `Measured ${o.measured.date} with \`${o.measured.command}\` on Node.js ${o.measured.node} (load average ${o.measured.loadAverage.before.map((x) => x.toFixed(1)).join(" / ")} before, ${o.measured.loadAverage.after.map((x) => x.toFixed(1)).join(" / ")} after, over 1 / 5 / 15 minutes: ${(o.measured.loadAverage.before[0] ?? 0) > 1 ? "**the machine was shared**, so times are noisy; the calls and capacity are exact" : "the machine was otherwise idle"}).`,
    "",
    `One account per size (${sizes.join(", ")} registered nodes), each with ${o.associations.toLocaleString("en-US")} associations on tag targets (one of 100 groups each) and one on \`tag:role=web\` (10 nodes); every node has two tags (role, group). Seeded through the stores' own item builders in batches (${o.seeding.map((s) => `${s.nodes.toLocaleString("en-US")} nodes in ${s.seconds.toFixed(0)} s`).join(", ")}; the associations with one CreateAssociationBatch each). Each request goes to the real handler in process, signed (no HTTP), ${o.requests} times per size (${o.runRequests} for the 1% run), going round the sizes; the calls and capacity units are those of one request, as DynamoDB Local reports them (ReturnConsumedCapacity). Goal: each stays flat (the same calls at every size) or, for a filter the keys can't answer, reads a bounded part of the account and answers a NextToken (AWS answers such pages short too: aws/aws-cli#2626). Timings are p50 / p99 ms.`,
    "",
    `| operation | request | ${sizes.map((s) => `${s}: calls, CU, p50 / p99 ms`).join(" | ")} | answered (${sizes.at(-1)}) | goal |`,
    `|---|---|${sizes.map(() => "---|").join("")}---|---|`,
    ...o.rows.map(
      (row) =>
        `| ${row.operation} | ${row.what} | ${row.cells.map((c) => `${c.calls}, ${c.capacity.toFixed(1)}, ${ms(c.p50)} / ${ms(c.p99)}`).join(" | ")} | ${row.cells.at(-1)?.answered ?? ""} | ${row.goal}: ${flat(row)} |`,
    ),
    "",
    "How a run finds the nodes a tag targets, decided on these figures: the node tag index (one item per tag of a node, written in the transactions that write the node's tags; `shared/store/keys.ts`) against a paged scan of the account's nodes in the run's creation. The scan is what the `InstanceIds=*` row reads (its run targets every node, so there it is the right read), per run and per scheduler tick of every tag-targeted association: 100 queries and about 6,500 capacity units at 100,000 nodes, however few nodes the tag names. The index reads the tagged nodes only (one query per tag value up to about 5,000 nodes: the 10-node run costs the same at every size). Its price is on the write side, where it is small: a registration's transaction holds one item more per tag (a node with 2 tags: 5 items, was 3), a tag change a transaction of its node and the changed tags (was one UpdateItem), a deregistration reads the node first (its tags) and deletes its tags' items with it. A node tagged while a run is created is in the run or not, as the index's GSI read saw it; one left out finds the association through the association index at its next poll and joins the run (test/nodes/big-accounts.test.ts).",
    "",
    `Not flat, and why: a run writes one target per node it targets (the 1% row: ${onePercent?.calls} calls and ${onePercent?.capacity.toFixed(0)} capacity units for the ${((onePercent?.nodes ?? 0) / 100).toLocaleString("en-US")} targets at ${sizes.at(-1)} nodes); an \`InstanceIds=*\` run targets every node, so its first read is the whole node listing (${ms(everyNode?.p50)} ms p50 at ${sizes.at(-1)} nodes on this shared machine, before it writes as many targets: at 100,000 nodes more than one request can do within API Gateway's 29 s; such a fleet needs a run whose targets join as they poll, which the join path already does for late nodes). DescribeInstanceInformation's page costs one query per node listed (its association summary), the same at every size.`,
    "",
    `Calls of one request at ${sizes.at(-1)} nodes: ${o.rows.map((row) => `${row.operation} (${row.what}): ${row.cells.at(-1)?.callList}`).join("; ")}.`,
  ];
}

/**
 * A big-account row's verdict: flat is the same calls at every size; bounded is no more calls at
 * the largest size than at a smaller one (what it reads stops growing with the account);
 * undefined for a row that grows with what it must write.
 */
function accountsVerdict(row: AccountsResult["rows"][number]): boolean | undefined {
  const calls = row.cells.map((c) => c.calls);
  if (row.goal === "flat") return calls.every((n) => n === calls[0]);
  if (row.goal === "bounded") return (calls.at(-1) ?? 0) <= Math.max(...calls.slice(0, -1));
  return undefined;
}
