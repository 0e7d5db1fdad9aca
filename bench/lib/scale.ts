/**
 * Scale curves: how the node's view (its associations) and the first ListAssociations page cost
 * as an account grows to 100, 1,000 and 10,000 associations, and what a scheduler tick costs
 * with them all of which 10 are due. Each size is an account of its own in the one table, with a
 * node of its own to which the same 4 associations apply; the rest target tags no node has. They
 * are seeded through the real handlers in this process (no HTTP), many at a time, and only then
 * measured, one request after another going round the sizes and operations: the machine's speed
 * drifts over minutes (by up to 2× on this one), and measuring each size minutes after the last
 * put that drift into the curve. Taken in turns, every size sees the same moments.
 */

import { createRuntime } from "../../shared/runtime.ts";
import type { Identity } from "../../test/support/identity.ts";
import { call } from "../../test/support/invoke.ts";
import { type Environment, newAccount, registerNode } from "./environment.ts";
import { type LoadResult, loadResult, percentile } from "./load.ts";
import { describeCalls, dynamoTime, type Tally } from "./meter.ts";
import { caller } from "./operations.ts";
import { meteredInvoke } from "./overhead.ts";

export type ScalePoint = {
  associations: number;
  /** p50/p99 over HTTP at concurrency 1, and the DynamoDB calls of one request. */
  views: Record<string, LoadResult & { calls: string; callCount: number }>;
};

export type SchedulerTick = {
  associations: number;
  due: number;
  ms: number;
  dynamoMs: number;
  calls: number;
  callSummary: string;
  result: unknown;
};

export type ScaleResult = {
  points: ScalePoint[];
  seeding: { associations: number; seconds: number; perSecond: number };
  tick: SchedulerTick | undefined;
};

const DUE = 10;

export async function scaleCurves(env: Environment, sizes: number[], requestsPerPoint: number): Promise<ScaleResult> {
  const base = { Name: "AWS-RunShellScript", Parameters: { commands: ["echo hello"] }, ApplyOnlyAtCronInterval: true };
  // Daily at an hour half a day from now, so no tick of this run finds them due; the due ten run
  // every 30 minutes.
  const daily = `cron(0 ${(new Date().getUTCHours() + 12) % 24} * * ? *)`;
  const halfHourly = "cron(0/30 * * * ? *)";
  const largest = Math.max(...sizes);
  let seedingSeconds = 0;
  let seeded = 0;
  const accounts: { size: number; identity: Identity; node: Awaited<ReturnType<typeof registerNode>> }[] = [];
  for (const size of sizes) {
    const identity = await newAccount(env, `bench-scale-${size}`);
    const node = await registerNode(identity, [{ Key: "fleet", Value: "scale" }]);
    const create = (request: Record<string, unknown>) => call("CreateAssociation", request, { identity });
    // The node's own: two by id, two by its tag; and in the largest account, the ten the
    // scheduler will find due.
    for (let i = 0; i < 2; i++)
      await create({ ...base, Targets: [{ Key: "InstanceIds", Values: [node.id] }], ScheduleExpression: daily });
    for (let i = 0; i < 2; i++)
      await create({ ...base, Targets: [{ Key: "tag:fleet", Values: ["scale"] }], ScheduleExpression: daily });
    const due = size === largest ? DUE : 0;
    for (let i = 0; i < due; i++)
      await create({ ...base, Targets: [{ Key: "tag:fleet", Values: ["due"] }], ScheduleExpression: halfHourly });
    const started = performance.now();
    const missing = size - 4 - due;
    await seed(missing, (i) =>
      create({ ...base, Targets: [{ Key: "tag:fleet", Values: [`other-${i % 20}`] }], ScheduleExpression: daily }),
    );
    seedingSeconds += (performance.now() - started) / 1000;
    seeded += Math.max(0, missing);
    accounts.push({ size, identity, node });
  }

  const operations = ["ListInstanceAssociations", "DescribeEffectiveInstanceAssociations", "ListAssociations"];
  const measured = accounts.flatMap(({ size, identity, node }) => {
    const account = caller(env.server.url, identity);
    const agent = caller(env.server.url, node.identity);
    const cells: [string, Identity, Record<string, unknown>, typeof account][] = [
      ["ListInstanceAssociations", node.identity, { InstanceId: node.id }, agent],
      ["DescribeEffectiveInstanceAssociations", identity, { InstanceId: node.id }, account],
      ["ListAssociations", identity, { MaxResults: 50 }, account],
    ];
    return cells.map(([operation, signer, request, client]) => ({
      size,
      operation,
      signer,
      request,
      send: () => client.send(operation, request),
      times: [] as number[],
      errors: [] as string[],
    }));
  });
  // A warm-up of each, then the measured requests in turns.
  for (const cell of measured) for (let i = 0; i < 5; i++) await cell.send().catch(() => undefined);
  const started = performance.now();
  for (let round = 0; round < requestsPerPoint; round++) {
    for (const cell of measured) {
      const start = performance.now();
      try {
        await cell.send();
        cell.times.push(performance.now() - start);
      } catch (error) {
        cell.errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const points: ScalePoint[] = [];
  for (const { size } of accounts) {
    const views: ScalePoint["views"] = {};
    for (const operation of operations) {
      const cell = measured.find((x) => x.size === size && x.operation === operation);
      if (!cell) continue;
      const metered = await meteredInvoke(env, operation, cell.request, cell.signer);
      views[operation] = {
        ...loadResult(1, cell.times, cell.errors, seconds),
        calls: describeCalls(metered.tally),
        callCount: metered.tally.calls.length,
      };
    }
    points.push({ associations: size, views });
    console.log(
      `  ${size} associations: ${Object.entries(views)
        .map(([op, v]) => `${op} p50 ${v.p50.toFixed(1)} ms (${v.callCount} calls)`)
        .join(", ")}`,
    );
  }
  // A tick half an hour on: the ten half-hourly associations are due, the others not.
  const total = accounts.reduce((sum, { size }) => sum + size, 0);
  const later = createRuntime({ ...env.options, clock: () => new Date(Date.now() + 31 * 60_000) });
  const tick = await env.meter.run(() => later.scheduler.tick());
  return {
    points,
    seeding: { associations: seeded, seconds: seedingSeconds, perSecond: seeded / Math.max(seedingSeconds, 1e-9) },
    tick: {
      associations: total,
      due: DUE,
      ms: tick.ms,
      dynamoMs: dynamoTime(tick.tally),
      calls: tick.tally.calls.length,
      callSummary: summarize(tick.tally),
      result: tick.result,
    },
  };
}

/** Creates `n` associations, 16 at a time (the account's counter item serializes them anyway). */
async function seed(n: number, create: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await create(i);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** "Query ×3, TransactWriteItems ×10": calls by command. */
function summarize(tally: Tally): string {
  const counts = new Map<string, number>();
  for (const c of tally.calls) counts.set(c.command, (counts.get(c.command) ?? 0) + 1);
  return [...counts].map(([command, n]) => `${command} ×${n}`).join(", ");
}

export const p50 = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
