/**
 * A closed-loop load generator: `concurrency` workers each send one request after another until
 * the time is up (or the request budget is spent), and the latencies are summarized. Timing lives
 * in `npm run bench` only, never in tests.
 */

import { availableParallelism } from "node:os";
import { type CellCpu, type CpuProbe, type CpuTimes, cellCpu } from "./cpu.ts";

export type LoadResult = {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  /** CPU per answered request, process by process, over the measured requests (Linux). */
  cpu?: CellCpu;
  /** Completed requests per second. */
  throughput: number;
  p50: number;
  p99: number;
  /** The first error, to say why a cell failed. */
  firstError?: string;
};

export type LoadOptions = {
  concurrency: number;
  seconds: number;
  maxRequests?: number;
  warmupSeconds?: number;
  /** Reads the processes' CPU time before and after the measured requests. */
  cpu?: CpuProbe;
};

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * Runs `send(i, worker)` at the given concurrency: i counts from 0 across all workers, worker is
 * the sending worker's index (0 to concurrency − 1), whose requests never overlap one another.
 */
export async function load(
  send: (i: number, worker: number) => Promise<unknown>,
  options: LoadOptions,
): Promise<LoadResult> {
  let next = 0;
  const take = () => next++;
  // A budget (a quota the requests use up, such as documents per account) covers the warm-up too:
  // a quarter of it at most, the rest for the measured requests.
  const warmed = options.warmupSeconds
    ? await phase(
        send,
        take,
        options.concurrency,
        options.warmupSeconds,
        options.maxRequests === undefined ? undefined : Math.floor(options.maxRequests / 4),
        [],
      )
    : 0;
  const times: number[] = [];
  const errors: string[] = [];
  const cpuBefore = options.cpu?.();
  const started = performance.now();
  const budget = options.maxRequests === undefined ? undefined : options.maxRequests - warmed;
  await phase(send, take, options.concurrency, options.seconds, budget, times, errors);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cellCpu(cpuBefore, options.cpu?.(), times.length, seconds, availableParallelism());
  return loadResult(options.concurrency, times, errors, seconds, cpu);
}

/** One of the loads `interleavedLoads` compares: who sends, and its budget of requests. */
export type Contender = { send: (i: number, worker: number) => Promise<unknown>; maxRequests?: number };

/**
 * Runs loads that are to be compared (ours, a peer's, the raw baseline) at one concurrency, each
 * in two halves, in the mirrored order A B C C B A, and reports each as one cell. This machine's
 * speed drifts over minutes; a load measured after another would see a different machine, while
 * mirrored halves give each load the same share of every moment, so their ratio does not drift
 * with it. Each half has half the cell's time and half its warm-up (the other loads ran meanwhile).
 */
export async function interleavedLoads(contenders: readonly Contender[], options: LoadOptions): Promise<LoadResult[]> {
  const tallies = contenders.map((contender) => {
    let next = 0;
    return {
      contender,
      take: () => next++,
      remaining: contender.maxRequests,
      times: [] as number[],
      errors: [] as string[],
      seconds: 0,
      cpu: undefined as CpuTimes | undefined,
    };
  });
  const order = [...tallies, ...[...tallies].reverse()];
  for (const [index, tally] of order.entries()) {
    const halvesLeft = index < tallies.length ? 2 : 1;
    const { send } = tally.contender;
    if (options.warmupSeconds) {
      const budget = tally.remaining === undefined ? undefined : Math.floor(tally.remaining / 8);
      const warmed = await phase(send, tally.take, options.concurrency, options.warmupSeconds / 2, budget, []);
      if (tally.remaining !== undefined) tally.remaining -= warmed;
    }
    const budget = tally.remaining === undefined ? undefined : Math.floor(tally.remaining / halvesLeft);
    const before = options.cpu?.();
    const started = performance.now();
    const sent = await phase(
      send,
      tally.take,
      options.concurrency,
      options.seconds / 2,
      budget,
      tally.times,
      tally.errors,
    );
    tally.seconds += (performance.now() - started) / 1000;
    const after = options.cpu?.();
    if (tally.remaining !== undefined) tally.remaining -= sent;
    tally.cpu = addCpu(tally.cpu, before, after);
  }
  return tallies.map((tally) => {
    const cpu = cellCpu(zeroCpu, tally.cpu, tally.times.length, tally.seconds, availableParallelism());
    return loadResult(options.concurrency, tally.times, tally.errors, tally.seconds, cpu);
  });
}

const zeroCpu: CpuTimes = { server: 0, dynamodb: 0, moto: 0, client: 0 };

/** `sum` plus the CPU taken between two readings (undefined when either is missing). */
function addCpu(sum: CpuTimes | undefined, before: CpuTimes | undefined, after: CpuTimes | undefined) {
  if (!before || !after) return undefined;
  const base = sum ?? zeroCpu;
  return {
    server: base.server + after.server - before.server,
    dynamodb: base.dynamodb + after.dynamodb - before.dynamodb,
    moto: base.moto + after.moto - before.moto,
    client: base.client + after.client - before.client,
  };
}

/** The summary of requests' times (ms) and failures over `seconds`. */
export function loadResult(
  concurrency: number,
  times: readonly number[],
  errors: readonly string[],
  seconds: number,
  cpu?: CellCpu,
): LoadResult {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    concurrency,
    requests: sorted.length,
    errors: errors.length,
    seconds,
    throughput: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ...(cpu ? { cpu } : {}),
    ...(errors[0] ? { firstError: errors[0] } : {}),
  };
}

async function phase(
  send: (i: number, worker: number) => Promise<unknown>,
  take: () => number,
  concurrency: number,
  seconds: number,
  budget: number | undefined,
  times: number[],
  errors: string[] = [],
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let sent = 0;
  const worker = async (_: unknown, index: number) => {
    while (performance.now() < deadline && (budget === undefined || sent < budget)) {
      sent++;
      const i = take();
      const start = performance.now();
      try {
        await send(i, index);
        times.push(performance.now() - start);
      } catch (error) {
        errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sent;
}
