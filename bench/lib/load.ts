/**
 * A closed-loop load generator: `concurrency` workers each send one request after another until
 * the time is up (or the request budget is spent), and the latencies are summarized. Timing lives
 * in `npm run bench` only, never in tests.
 */

import { availableParallelism } from "node:os";
import { type CellCpu, type CpuProbe, cellCpu } from "./cpu.ts";

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
