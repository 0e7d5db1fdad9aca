/**
 * Scale curves: how the node's view (its associations) and the first ListAssociations page cost
 * as the account grows to 100, 1,000 and 10,000 associations, and what a scheduler tick costs
 * with the largest count of which 10 are due. Associations are seeded through the real handlers
 * in this process (no HTTP), many at a time; a handful target the benchmark's node, the rest
 * target tags no node has.
 */

import { createRuntime } from "../../shared/runtime.ts";
import type { Identity } from "../../test/support/identity.ts";
import { call } from "../../test/support/invoke.ts";
import { type Environment, newAccount, registerNode } from "./environment.ts";
import { type LoadResult, load, percentile } from "./load.ts";
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
  const identity = await newAccount(env, "bench-scale");
  const node = await registerNode(identity, [{ Key: "fleet", Value: "scale" }]);
  const create = (request: Record<string, unknown>) => call("CreateAssociation", request, { identity });
  const base = { Name: "AWS-RunShellScript", Parameters: { commands: ["echo hello"] }, ApplyOnlyAtCronInterval: true };
  // Daily at an hour half a day from now, so no tick of this run finds them due; the due ten run
  // every 30 minutes.
  const daily = `cron(0 ${(new Date().getUTCHours() + 12) % 24} * * ? *)`;
  const halfHourly = "cron(0/30 * * * ? *)";
  // The node's own: two by id, two by its tag; and the ten the scheduler will find due.
  for (let i = 0; i < 2; i++)
    await create({ ...base, Targets: [{ Key: "InstanceIds", Values: [node.id] }], ScheduleExpression: daily });
  for (let i = 0; i < 2; i++)
    await create({ ...base, Targets: [{ Key: "tag:fleet", Values: ["scale"] }], ScheduleExpression: daily });
  for (let i = 0; i < DUE; i++)
    await create({ ...base, Targets: [{ Key: "tag:fleet", Values: ["due"] }], ScheduleExpression: halfHourly });
  let count = 4 + DUE;
  let seedingSeconds = 0;
  let seeded = 0;
  const points: ScalePoint[] = [];
  const account = caller(env.server.url, identity);
  const agent = caller(env.server.url, node.identity);
  for (const size of sizes) {
    const started = performance.now();
    const missing = size - count;
    await seed(missing, count, (i) =>
      create({
        ...base,
        Targets: [{ Key: "tag:fleet", Values: [`other-${i % 20}`] }],
        ScheduleExpression: daily,
      }),
    );
    seedingSeconds += (performance.now() - started) / 1000;
    seeded += Math.max(0, missing);
    count = Math.max(count, size);
    const views: ScalePoint["views"] = {};
    const measured: [string, Identity, Record<string, unknown>, typeof account][] = [
      ["ListInstanceAssociations", node.identity, { InstanceId: node.id }, agent],
      ["DescribeEffectiveInstanceAssociations", identity, { InstanceId: node.id }, account],
      ["ListAssociations", identity, { MaxResults: 50 }, account],
    ];
    for (const [operation, signer, request, client] of measured) {
      const result = await load(() => client.send(operation, request), {
        concurrency: 1,
        seconds: 30,
        maxRequests: requestsPerPoint,
        warmupSeconds: 0.2,
      });
      const metered = await meteredInvoke(env, operation, request, signer);
      views[operation] = { ...result, calls: describeCalls(metered.tally), callCount: metered.tally.calls.length };
    }
    points.push({ associations: size, views });
    console.log(
      `  ${size} associations: ${Object.entries(views)
        .map(([op, v]) => `${op} p50 ${v.p50.toFixed(1)} ms (${v.callCount} calls)`)
        .join(", ")}`,
    );
  }
  // A tick half an hour on: the ten half-hourly associations are due, the others not.
  const later = createRuntime({ ...env.options, clock: () => new Date(Date.now() + 31 * 60_000) });
  const tick = await env.meter.run(() => later.scheduler.tick());
  return {
    points,
    seeding: { associations: seeded, seconds: seedingSeconds, perSecond: seeded / Math.max(seedingSeconds, 1e-9) },
    tick: {
      associations: count,
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
async function seed(n: number, offset: number, create: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await create(offset + i);
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
