/**
 * Where a loaded `npm start` waits, when it is not busy (issue 30: at 5,000 nodes the cores were
 * 55% busy and p99 was 16.8 s). Set LOAD_PROBE_SECONDS and the server writes, every that many
 * seconds, one JSON line `{"probe": ...}` on stdout (a request line has `operation`, this does
 * not: bench/lib/fleet/server-log.ts reads both):
 *
 * - `eventLoop`: how busy this process's one thread was (`utilization`, 0 to 1) and how late its
 *   timers ran (`delayP50Ms`, `delayP99Ms`, `delayMaxMs`, perf_hooks.monitorEventLoopDelay): a
 *   request ready to run waits that long;
 * - `dynamodb`: per DynamoDB call (`X-Amz-Target`), how many, and how long they waited for one of
 *   the client's sockets (shared/store/dynamodb-transport.ts MAX_SOCKETS) then for their answer
 *   (DynamoDB Local's time, and this thread's own delay in reading it), p50 / p99 / max;
 * - `socketsInUse`: TCP sockets in use at the end of the window (agents' requests being answered,
 *   held polls among them, and DynamoDB calls in flight; idle keep-alive sockets, which do not
 *   keep the process alive, are not counted: process.getActiveResourcesInfo).
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { timeTransport } from "../../shared/store/dynamodb-transport.ts";

type Samples = { wait: number[]; answer: number[] };

const round = (ms: number) => Math.round(ms * 10) / 10;

function quantiles(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

/** Starts writing the probe's lines. Returns its stop. */
export function startLoadProbe(seconds: number): () => void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let busy = performance.eventLoopUtilization();
  let calls = new Map<string, Samples>();
  timeTransport((target, wait, answer) => {
    const name = target.slice(target.indexOf(".") + 1);
    const samples = calls.get(name) ?? { wait: [], answer: [] };
    calls.set(name, samples);
    samples.wait.push(wait);
    samples.answer.push(answer);
  });
  const timer = setInterval(() => {
    const utilization = performance.eventLoopUtilization(busy).utilization;
    busy = performance.eventLoopUtilization();
    const dynamodb = Object.fromEntries(
      [...calls].map(([name, samples]) => [
        name,
        { count: samples.wait.length, socketWaitMs: quantiles(samples.wait), answerMs: quantiles(samples.answer) },
      ]),
    );
    console.log(
      JSON.stringify({
        probe: {
          at: new Date().toISOString(),
          seconds,
          eventLoop: {
            utilization: Number(utilization.toFixed(3)),
            delayP50Ms: round(delay.percentile(50) / 1e6),
            delayP99Ms: round(delay.percentile(99) / 1e6),
            delayMaxMs: round(delay.max / 1e6),
          },
          dynamodb,
          socketsInUse: process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length,
        },
      }),
    );
    delay.reset();
    calls = new Map();
  }, seconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
    timeTransport(undefined);
  };
}
