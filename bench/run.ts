/**
 * `npm run bench`: one command that measures the service against its goals and writes
 * bench/results.json and BENCHMARKS.md. Everything runs on this machine: DynamoDB Local (in
 * memory), `npm start` (in a process of its own, on a free port),
 * moto_server as a peer, and raw DynamoDB Local calls as the physical limit; the bundles' import
 * times are measured first, before any of those start. BENCH_QUICK=1 runs a
 * small version (about a minute) for development. BENCH_ONLY=bundles measures only the bundles
 * (section 5, without DynamoDB Local or a server) and writes them into the last full run's
 * bench/results.json and BENCHMARKS.md, dated apart; BENCH_ONLY=<operations> measures only those
 * operations and writes nothing (below). Tests never time anything; this does.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { DEFAULT_IDENTITY, type Identity } from "../test/support/identity.ts";
import { call } from "../test/support/invoke.ts";
import { bigAccounts } from "./lib/accounts.ts";
import { associationBatch } from "./lib/batch.ts";
import { measureBundles } from "./lib/bundles.ts";
import { type Environment, newAccount, registerNode, startEnvironment } from "./lib/environment.ts";
import { interleavedLoads, type LoadResult, load } from "./lib/load.ts";
import { caller, documentContent, type Fixtures, type Workload, workloads } from "./lib/operations.ts";
import { type Metered, meteredInvoke, type Overhead, overhead, startCannedServer } from "./lib/overhead.ts";
import { push } from "./lib/push.ts";
import { rawReplay, rawTransaction } from "./lib/raw.ts";
import { type BenchResults, printSummary, rawKey, writeMarkdown } from "./lib/report.ts";
import { rollout } from "./lib/rollout.ts";
import { runCommand } from "./lib/run-command.ts";
import { scaleCurves } from "./lib/scale.ts";

const QUICK = process.env.BENCH_QUICK === "1";
/**
 * BENCH_ONLY=ListInstanceAssociations,DescribeDocument: only these operations' throughput and
 * own time (and their raw baselines), no scale curves, bundles or console, and nothing written:
 * a quick before/after of a few operations. The full run stays the default.
 */
const ONLY = process.env.BENCH_ONLY?.split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const SETTINGS = {
  quick: QUICK,
  /** Seconds per throughput cell (one operation at one concurrency), after a short warm-up. */
  seconds: QUICK ? 0.6 : 2.5,
  warmup: QUICK ? 0.2 : 0.5,
  /** Seconds per operation that the endpoint's process is sent its workload before any cell. */
  serverWarmup: QUICK ? 0.5 : 1.5,
  concurrency: [1, 8, 32],
  /** Requests per operation in the in-process overhead pass. */
  overheadRequests: QUICK ? 40 : 200,
  scaleSizes: QUICK ? [100, 1000] : [100, 1_000, 10_000],
  scaleRequests: QUICK ? 20 : 150,
  /** The rollout (bench/lib/rollout.ts): its fleet, the nodes' poll and run times (time-compressed). */
  rollout: { nodes: QUICK ? 200 : 1_000, pollSeconds: 30, runSeconds: 2, timeoutSeconds: 300 },
  /** CreateAssociationBatch of AWS's association quota in one request (bench/lib/batch.ts). */
  batch: { entries: 2_000 },
  /**
   * Big accounts (bench/lib/accounts.ts, issue 30): nodes per account, 2,000 associations each,
   * requests per operation and size (a run of 1% of the nodes: fewer, it writes their targets).
   */
  accounts: {
    sizes: QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000],
    associations: 2_000,
    requests: QUICK ? 5 : 20,
    runRequests: QUICK ? 2 : 5,
  },
  /** Run Command (bench/lib/run-command.ts): commands sent to one polling agent, and idle polls metered. */
  runCommand: { commands: QUICK ? 20 : 100, idlePolls: QUICK ? 50 : 300 },
  /**
   * Association runs pushed over the message channel (bench/lib/push.ts, issue 28): 10 nodes'
   * agents, CreateAssociations one at a time then rounds of 10 at once; then one run over 50
   * nodes, MaxConcurrency 5, MaxErrors 2, each node running 1 s, the 10th, 20th and 30th to get
   * it failing (the 30th's error, the 3rd, stops it).
   */
  push: {
    latencyNodes: 10,
    sequential: QUICK ? 20 : 50,
    concurrentRounds: QUICK ? 2 : 5,
    rateControlled: {
      nodes: 50,
      maxConcurrency: 5,
      maxErrors: 2,
      runSeconds: 1,
      failingAt: [10, 20, 30],
      timeoutSeconds: 120,
    },
  },
  importRuns: QUICK ? 1 : 5,
};

/** A cell's CPU per request, process by process (bench/lib/cpu.ts), for the progress lines. */
const cpuNote = (r: LoadResult) =>
  r.cpu
    ? ` [CPU ms/req: server ${r.cpu.server.toFixed(2)}, DynamoDB Local ${r.cpu.dynamodb.toFixed(2)}, client ${r.cpu.client.toFixed(2)}; cores ${(r.cpu.utilization * 100).toFixed(0)}%]`
    : "";

const started = Date.now();
const loadBefore = loadavg();

async function fixtures(): Promise<Fixtures> {
  const documentName = "bench-document";
  await call("CreateDocument", { Name: documentName, Content: documentContent(0), DocumentType: "Command" });
  // A realistic ListDocuments page: 20 of the account's own documents.
  for (let i = 1; i < 20; i++) {
    await call("CreateDocument", { Name: `bench-list-${i}`, Content: documentContent(i), DocumentType: "Command" });
  }
  const node = await registerNode(DEFAULT_IDENTITY, [{ Key: "fleet", Value: "bench" }]);
  // UpdateAssociationStatus acts on a legacy association (document and InstanceId), whose
  // document must be of schema 1.2: one per concurrent client, so no two requests in flight
  // change the same status (an unchanged status is refused).
  const legacyDocuments: string[] = [];
  let associationId = "";
  for (let i = 0; i < 32; i++) {
    const name = `bench-legacy-${i}`;
    await call("CreateDocument", {
      Name: name,
      DocumentType: "Command",
      Content: JSON.stringify({
        schemaVersion: "1.2",
        description: "bench",
        runtimeConfig: {
          "aws:runShellScript": { properties: [{ id: "0.aws:runShellScript", runCommand: ["echo hello"] }] },
        },
      }),
    });
    const legacy = await call("CreateAssociation", { Name: name, InstanceId: node.id });
    legacyDocuments.push(name);
    associationId ||= legacy.AssociationDescription.AssociationId;
  }
  const startable: string[] = [];
  for (let i = 0; i < 8; i++) {
    const created = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fleet", Values: ["bench"] }],
      Parameters: { commands: [`echo ${i}`] },
      ScheduleExpression: "rate(1 day)",
    });
    startable.push(created.AssociationDescription.AssociationId);
  }
  return {
    documentName,
    legacyDocuments,
    nodeId: node.id,
    nodeIdentity: node.identity,
    associationId,
    startable,
  };
}

const RESULTS = new URL("./results.json", import.meta.url);
const MARKDOWN = new URL("../BENCHMARKS.md", import.meta.url);
const QUICK_TIMED = new Set(["CreateDocument", "DescribeDocument", "ListInstanceAssociations", "Scheduler"]);

/**
 * Section 5, the bundles, with when and at what load they were measured. A full run measures
 * them first, before it starts DynamoDB Local, the endpoint or moto_server: a fresh-process
 * import is a few tens of milliseconds, which the Java process's compaction or the page cache's
 * writes after a load test would show as the function's own.
 */
async function bundlesSection(command: string): Promise<Pick<BenchResults, "bundles" | "bundlesMeasured">> {
  console.log("bundles:");
  const before = loadavg();
  const date = new Date().toISOString();
  const { rows, emptyModuleMs } = await measureBundles(SETTINGS.importRuns, (name) => !QUICK || QUICK_TIMED.has(name));
  return {
    bundles: rows,
    bundlesMeasured: { date, command, node: process.version, loadAverage: { before, after: loadavg() }, emptyModuleMs },
  };
}

/** BENCH_ONLY=bundles: section 5 alone, written into the last full run's results. */
async function bundlesOnly(): Promise<void> {
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  const measured = await bundlesSection(`${QUICK ? "BENCH_QUICK=1 " : ""}BENCH_ONLY=bundles npm run bench`);
  const results: BenchResults = {
    ...previous,
    settings: { ...previous.settings, importRuns: SETTINGS.importRuns },
    ...measured,
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeMarkdown(results, MARKDOWN);
  printSummary(results);
}

/** The raw DynamoDB Local baseline of an operation, from the calls one of its requests made (raw.ts). */
function rawBaseline(
  env: Environment,
  kind: "read" | "write",
  metered: Metered | undefined,
): { label: string; send: (i: number) => Promise<unknown> } | undefined {
  if (!metered) return undefined;
  if (kind === "read") return rawReplay(env, metered.tally.calls);
  const transaction = metered.tally.calls.find((call) => call.command === "TransactWriteItems");
  if (!transaction) return undefined;
  return {
    label: `TransactWriteItems(${transaction.items})`,
    send: rawTransaction(env, transaction.items, transaction.bytes),
  };
}

/** BENCH_ONLY=batch: the 2,000-entry CreateAssociationBatch alone, printed, nothing written. */
async function batchOnly(): Promise<void> {
  const env = await startEnvironment();
  try {
    console.log(JSON.stringify(await associationBatch(env, SETTINGS.batch), null, 2));
  } finally {
    await env.close();
  }
}

/**
 * BENCH_ONLY=rollout: the rollout alone, written into the last full run's results (dated apart
 * in its section), as BENCH_ONLY=bundles does for the bundles.
 */
async function rolloutOnly(): Promise<void> {
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  const before = loadavg();
  const env = await startEnvironment();
  try {
    const result = await rollout(env, SETTINGS.rollout);
    const results: BenchResults = {
      ...previous,
      rollout: {
        ...result,
        measured: { date: new Date().toISOString(), node: process.version, loadAverage: { before, after: loadavg() } },
      },
    };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeMarkdown(results, MARKDOWN);
    printSummary(results);
  } finally {
    await env.close();
  }
}

/** BENCH_ONLY=run-command: Run Command's section alone, written into the last full run's results. */
async function runCommandOnly(): Promise<void> {
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  const env = await startEnvironment();
  try {
    const results: BenchResults = { ...previous, runCommand: await runCommand(env, SETTINGS.runCommand) };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeMarkdown(results, MARKDOWN);
    printSummary(results);
  } finally {
    await env.close();
  }
}

/**
 * BENCH_ONLY=accounts: big accounts alone (its own DynamoDB Local, no endpoint), written into the
 * last full run's results (dated apart in its section), as BENCH_ONLY=rollout does.
 */
async function accountsOnly(): Promise<void> {
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  console.log(
    `big accounts: ${SETTINGS.accounts.sizes.join(", ")} nodes, ${SETTINGS.accounts.associations} associations`,
  );
  const accounts = await bigAccounts(
    SETTINGS.accounts,
    `${QUICK ? "BENCH_QUICK=1 " : ""}BENCH_ONLY=accounts npm run bench`,
  );
  const results: BenchResults = { ...previous, accounts };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeMarkdown(results, MARKDOWN);
  for (const row of accounts.rows) {
    console.log(
      `  ${row.operation}, ${row.what}: ${row.cells.map((c) => `${c.nodes}: ${c.calls} calls, ${c.capacity.toFixed(1)} CU, p50 ${c.p50.toFixed(1)} ms (${c.answered})`).join("; ")}`,
    );
  }
}

/** BENCH_ONLY=push: the pushed runs alone (issue 28), written into the last full run's results, dated apart. */
async function pushOnly(): Promise<void> {
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  const env = await startEnvironment();
  try {
    const results: BenchResults = { ...previous, push: await measuredPush(env) };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeMarkdown(results, MARKDOWN);
    printSummary(results);
  } finally {
    await env.close();
  }
}

/** The pushed runs, with when, on what Node.js and at what load they were measured. */
async function measuredPush(env: Environment): Promise<NonNullable<BenchResults["push"]>> {
  const before = loadavg();
  const result = await push(env, SETTINGS.push);
  return {
    ...result,
    measured: { date: new Date().toISOString(), node: process.version, loadAverage: { before, after: loadavg() } },
  };
}

async function main(): Promise<void> {
  if (ONLY?.length === 1 && ONLY[0] === "accounts") return accountsOnly();
  if (ONLY?.length === 1 && ONLY[0] === "bundles") return bundlesOnly();
  if (ONLY?.length === 1 && ONLY[0] === "push") return pushOnly();
  if (ONLY?.length === 1 && ONLY[0] === "run-command") return runCommandOnly();
  if (ONLY?.length === 1 && ONLY[0] === "rollout") return rolloutOnly();
  if (ONLY?.length === 1 && ONLY[0] === "batch") return batchOnly();
  // 5 (first). Bundles and import times, while nothing else of the benchmark runs.
  const measured = ONLY ? undefined : await bundlesSection(`${QUICK ? "BENCH_QUICK=1 " : ""}npm run bench`);
  console.log(`npm run bench${QUICK ? " (BENCH_QUICK=1)" : ""}: starting DynamoDB Local, the endpoint and moto_server`);
  const env = await startEnvironment();
  try {
    const f = await fixtures();
    const prefix = `bench-${Date.now().toString(36)}`;
    const loads = workloads(f, prefix).filter((w) => !ONLY || ONLY.includes(w.operation));
    if (ONLY && loads.length === 0) throw new Error(`BENCH_ONLY names no benchmarked operation: ${ONLY.join(", ")}`);
    const cell = { seconds: SETTINGS.seconds, warmupSeconds: SETTINGS.warmup, cpu: env.cpu };
    /** Who sends a workload: the node, the default account, or a new account of its own for each use (`use`). */
    const identityFor = async (w: Workload, use: string): Promise<Identity> =>
      w.signer === "node"
        ? f.nodeIdentity
        : w.signer === "fresh"
          ? await newAccount(env, `bench-${w.operation}-${use}`)
          : DEFAULT_IDENTITY;

    // 0. The endpoint runs in a process of its own that no request has reached yet (the fixtures
    // went through this process's handlers): its code is neither compiled nor optimized by V8.
    // Each workload is sent there for a while first, answers discarded, so the cells below
    // measure a warm server, as moto_server's are.
    for (const w of loads) {
      const identity = await identityFor(w, "warm");
      const client = caller(env.server.url, identity);
      await load((i, worker) => client.send(w.operation, w.request(9_000_000 + i, worker)).catch(() => undefined), {
        concurrency: 4,
        seconds: SETTINGS.serverWarmup,
        maxRequests: w.maxRequests,
      });
    }

    // 1. What each operation asks of DynamoDB, from a few requests in process, sent as one worker
    // sends them (in turn, on the same things where a workload gives each worker its own): the
    // shape of its raw baselines below is the request with the fewest calls, so that a rare path
    // met once (UpdateAssociationStatus's second try after a run's release to the node, which the
    // warm-up's polls made) is not taken for the operation's.
    const shapes = new Map<string, Metered & { request: Record<string, unknown> }>();
    env.meter.capacity = false;
    for (const w of loads) {
      const identity = await identityFor(w, "shape");
      for (let i = 0; i < 5; i++) {
        const request = w.request(7_000_000 + i, 0);
        const metered = await meteredInvoke(env, w.operation, request, identity).catch(() => undefined);
        const fewest = shapes.get(w.operation);
        if (metered && (!fewest || metered.tally.calls.length <= fewest.tally.calls.length)) {
          shapes.set(w.operation, { ...metered, request });
        }
      }
    }

    // 2. Throughput over HTTP, the SDK v3 client, at each concurrency. Each of our cells is
    // interleaved with moto_server's (the document operations it also serves), with the raw
    // DynamoDB Local calls of the same shape (raw.ts: a read's own calls replayed, a write's
    // transaction of the same item count) and, where a ratio has a goal, with the bare server
    // making its own calls (a write's reads, then its own transaction's items on fresh keys), in
    // mirrored halves (load.ts, interleavedLoads), so all see the same conditions: DynamoDB
    // Local's own warm-up, the table's size, a shared machine whose speed drifts.
    const moto = env.moto ? caller(env.moto.endpoint, DEFAULT_IDENTITY) : undefined;
    if (moto) {
      await moto.send("CreateDocument", { Name: f.documentName, Content: documentContent(0), DocumentType: "Command" });
      for (let i = 1; i < 20; i++) {
        await moto.send("CreateDocument", {
          Name: `bench-list-${i}`,
          Content: documentContent(i),
          DocumentType: "Command",
        });
      }
    } else console.log("  moto_server not found (pip install 'moto[server]'): no peer baseline");
    const motoServes = new Set(["CreateDocument", "DescribeDocument", "ListDocuments"]);
    const throughput: BenchResults["throughput"] = {};
    const raw: BenchResults["raw"] = {};
    for (const w of loads) {
      const rows: LoadResult[] = [];
      const motoRows: LoadResult[] = [];
      const rawRows: LoadResult[] = [];
      const bareRows: LoadResult[] = [];
      const shape = shapes.get(w.operation);
      const baseline = rawBaseline(env, w.kind, shape);
      // Where a ratio has a goal (a write's to the raw, a read's to moto_server), also the bare
      // server making the operation's calls and giving its answer (bench/bare-server.ts): the
      // ceiling of that ratio. It is sent the request of the operation's shape each time.
      const goalRatio = w.kind === "write" || (moto !== undefined && motoServes.has(w.operation));
      const bareLabel =
        goalRatio && shape
          ? await env.bare
              .plan({ operation: w.operation, kind: w.kind, calls: shape.tally.calls, body: shape.body })
              .catch((error: Error) => {
                console.log(`  ${w.operation}: not replayed by the bare server (${error.message})`);
                return undefined;
              })
          : undefined;
      for (const concurrency of SETTINGS.concurrency) {
        const identity = await identityFor(w, String(concurrency));
        const client = caller(env.server.url, identity);
        const bare = caller(env.bare.url, identity);
        const offset = concurrency * 100_000;
        const motoOffset = 5_000_000 + concurrency * 100_000;
        const withMoto = moto !== undefined && motoServes.has(w.operation);
        const [ours, ...others] = await interleavedLoads(
          [
            {
              send: (i, worker) => client.send(w.operation, w.request(offset + i, worker)),
              maxRequests: w.maxRequests,
            },
            ...(withMoto
              ? [{ send: (i: number, worker: number) => moto.send(w.operation, w.request(motoOffset + i, worker)) }]
              : []),
            ...(baseline ? [{ send: baseline.send }] : []),
            ...(bareLabel ? [{ send: () => bare.send(w.operation, shape?.request ?? {}) }] : []),
          ],
          { ...cell, concurrency },
        );
        rows.push(ours as LoadResult);
        if (withMoto) motoRows.push(others.shift() as LoadResult);
        if (baseline) rawRows.push(others.shift() as LoadResult);
        if (bareLabel) bareRows.push(others.shift() as LoadResult);
      }
      throughput[w.operation] = { kind: w.kind, ours: rows, ...(motoRows.length > 0 ? { moto: motoRows } : {}) };
      if (baseline) raw[rawKey(w.kind, w.operation)] = { label: baseline.label, rows: rawRows };
      if (bareLabel) raw[rawKey("bare", w.operation)] = { label: `bare server, ${bareLabel}`, rows: bareRows };
      console.log(
        `  ${w.operation}: ${rows.map((r) => `c=${r.concurrency} ${r.throughput.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms${cpuNote(r)}${r.errors ? ` (${r.errors} errors: ${r.firstError})` : ""}`).join("; ")}${motoRows.length > 0 ? `; moto_server ${motoRows.map((r) => `c=${r.concurrency} ${r.throughput.toFixed(0)}/s`).join(", ")}` : ""}${rawRows.length > 0 ? `; raw ${rawRows.map((r) => `c=${r.concurrency} ${r.throughput.toFixed(0)}/s${cpuNote(r)}`).join(", ")}` : ""}${bareRows.length > 0 ? `; bare server ${bareRows.map((r) => `c=${r.concurrency} ${r.throughput.toFixed(0)}/s${r.errors ? ` (${r.errors} errors: ${r.firstError})` : ""}`).join(", ")}` : ""}`,
      );
    }
    for (const r of Object.values(raw))
      console.log(
        `  raw ${r.label}: ${r.rows.map((x) => `c=${x.concurrency} ${x.throughput.toFixed(0)}/s p50 ${x.p50.toFixed(1)} ms`).join("; ")}`,
      );

    // 3. The server's own time, DynamoDB calls and capacity, in process, after the throughput
    // cells (so the handlers' code is as warm here as the endpoint's was there).
    const overheads: Overhead[] = [];
    const canned = await startCannedServer();
    for (const w of loads) {
      const identity = await identityFor(w, "metered");
      overheads.push(await overhead(env, canned.url, w.operation, SETTINGS.overheadRequests, w.request, identity));
    }
    await canned.close();
    for (const o of overheads) {
      console.log(
        `  ${o.operation}: HTTP p50 ${o.httpP50.toFixed(2)} ms = client floor ${o.clientFloorP50.toFixed(2)} + adapter ${(o.httpP50 - o.clientFloorP50 - o.handlerP50).toFixed(2)} + handler ${o.handlerP50.toFixed(2)} (DynamoDB ${o.dynamoP50.toFixed(2)}, ours ${o.oursP50.toFixed(2)}); ${o.callList}`,
      );
    }

    if (ONLY) {
      await env.close();
      console.log(
        `BENCH_ONLY=${ONLY.join(",")}: measured these only; BENCHMARKS.md and bench/results.json left as they were`,
      );
      return;
    }

    // 4. Scale curves and the scheduler's tick.
    console.log("scale curves:");
    const scale = await scaleCurves(env, SETTINGS.scaleSizes, SETTINGS.scaleRequests);

    // 5b. A rollout to a fleet of replayed nodes (issue 26).
    console.log(`a rollout to ${SETTINGS.rollout.nodes} replayed nodes:`);
    const rolloutBefore = loadavg();
    const rolloutMeasured = await rollout(env, SETTINGS.rollout);
    const rolloutResult = {
      ...rolloutMeasured,
      measured: {
        date: new Date().toISOString(),
        node: process.version,
        loadAverage: { before: rolloutBefore, after: loadavg() },
      },
    };
    console.log(`  ${JSON.stringify(rolloutResult)}`);

    // 5c. CreateAssociationBatch of 2,000 entries in one request (issue 29).
    console.log(`CreateAssociationBatch of ${SETTINGS.batch.entries} entries:`);
    const batchResult = await associationBatch(env, SETTINGS.batch);
    console.log(`  ${JSON.stringify(batchResult)}`);
    // 5c. Run Command's delivery and an idle node's poll (issue 27).
    console.log("Run Command:");
    const runCommandResult = await runCommand(env, SETTINGS.runCommand);
    console.log(`  ${JSON.stringify(runCommandResult)}`);
    // 5d. Association runs pushed over the message channel (issue 28).
    console.log("association runs pushed over the message channel:");
    const pushResult = await measuredPush(env);
    console.log(`  ${JSON.stringify(pushResult)}`);

    await env.close();

    // 6. The console (the bundles were measured first, above).
    const consoleLines = consoleFigures();
    if (!measured) throw new Error("the bundles are measured in every full run");

    const results: BenchResults = {
      date: new Date(started).toISOString(),
      command: `${QUICK ? "BENCH_QUICK=1 " : ""}npm run bench`,
      settings: SETTINGS,
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? "unknown",
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        loadAverage: { before: loadBefore, after: loadavg() },
      },
      throughput,
      raw,
      overhead: overheads,
      scale,
      ...measured,
      console: consoleLines,
      rollout: rolloutResult,
      batch: batchResult,
      runCommand: runCommandResult,
      push: pushResult,
      durationSeconds: (Date.now() - started) / 1000,
    };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeMarkdown(results, MARKDOWN);
    printSummary(results);
  } catch (error) {
    await env.close().catch(() => undefined);
    throw error;
  }
}

/** bench/console.ts's figures (sizes, first paint in Chromium), when Chromium is there. */
function consoleFigures(): string[] {
  if (process.env.BENCH_CONSOLE === "0") return ["skipped (BENCH_CONSOLE=0)"];
  const run = spawnSync(process.execPath, ["--import", "tsx", "bench/console.ts"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) return [`not measured: ${(run.stderr || run.error?.message || "").split("\n")[0]}`];
  return run.stdout.trim().split("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
