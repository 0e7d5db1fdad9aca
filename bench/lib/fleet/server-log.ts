/**
 * The server's side of a fleet run, from its request log (LOG_LEVEL=info: one JSON line per
 * request, shared/lib/request-log.ts): per operation, requests, DynamoDB calls and the capacity
 * they consumed (read and write units), and answers by error code. Lines the server wrote for
 * requests of no operation (the console's files) are not SSM calls and are left out.
 */

import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

export type OperationCost = {
  requests: number;
  dynamodbCalls: number;
  readCapacity: number;
  writeCapacity: number;
  latencyMsSum: number;
  /** Writes the service retried after losing a race (events.Retries, shared/lib/retry.ts). */
  retries: number;
  /** Transactions DynamoDB cancelled for a race (events.TransactionConflicts, shared/store/dynamodb.ts); never on DynamoDB Local, which runs them one at a time. */
  conflicts: number;
  errors: Record<string, number>;
};

/** One window of the server's load probe (infra/local/load-probe.ts, LOAD_PROBE_SECONDS). */
export type Probe = {
  at: string;
  seconds: number;
  eventLoop: { utilization: number; delayP50Ms: number; delayP99Ms: number; delayMaxMs: number };
  dynamodb: Record<
    string,
    {
      count: number;
      socketWaitMs: { p50: number; p99: number; max: number };
      answerMs: { p50: number; p99: number; max: number };
    }
  >;
  socketsInUse: number;
};

export class ServerLog {
  #byOperation = new Map<string, OperationCost>();
  /** The load probe's windows since the last reset. */
  probes: Probe[] = [];
  /** Lines that were not a request's (the server's own messages). */
  other = 0;

  /** Reads the server's stdout, line by line, for as long as it writes. */
  follow(stdout: Readable): void {
    createInterface({ input: stdout }).on("line", (line) => this.add(line));
  }

  add(line: string): void {
    if (!line.startsWith("{")) {
      this.other++;
      return;
    }
    let entry: {
      operation?: string;
      status?: number;
      errorCode?: string;
      latencyMs?: number;
      dynamodbCalls?: number;
      consumedCapacity?: number;
      writeCapacity?: number;
      events?: { Retries?: number; TransactionConflicts?: number };
      probe?: Probe;
    };
    try {
      entry = JSON.parse(line);
    } catch {
      this.other++;
      return;
    }
    if (entry.probe) this.probes.push(entry.probe);
    if (!entry.operation) return;
    const cost = this.#byOperation.get(entry.operation) ?? {
      requests: 0,
      dynamodbCalls: 0,
      readCapacity: 0,
      writeCapacity: 0,
      latencyMsSum: 0,
      retries: 0,
      conflicts: 0,
      errors: {},
    };
    this.#byOperation.set(entry.operation, cost);
    const write = entry.writeCapacity ?? 0;
    cost.requests++;
    cost.dynamodbCalls += entry.dynamodbCalls ?? 0;
    cost.writeCapacity += write;
    cost.readCapacity += (entry.consumedCapacity ?? 0) - write;
    cost.latencyMsSum += entry.latencyMs ?? 0;
    cost.retries += entry.events?.Retries ?? 0;
    cost.conflicts += entry.events?.TransactionConflicts ?? 0;
    if (entry.errorCode) cost.errors[entry.errorCode] = (cost.errors[entry.errorCode] ?? 0) + 1;
  }

  /** Starts a new phase: what was logged so far is forgotten. */
  reset(): void {
    this.#byOperation = new Map();
    this.probes = [];
  }

  byOperation(): Record<string, OperationCost> {
    return Object.fromEntries([...this.#byOperation].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/**
 * A phase's probe windows in one: the event loop's mean utilization and its worst delays, and per
 * DynamoDB call the count and the worst window's socket wait and answer (p50s: the windows' median).
 */
export function probeSummary(probes: Probe[]) {
  if (probes.length === 0) return undefined;
  const worst = (values: number[]) => Math.max(...values);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const calls: Record<string, { count: number; socketWaitP99Ms: number; answerP50Ms: number; answerP99Ms: number }> =
    {};
  for (const name of new Set(probes.flatMap((probe) => Object.keys(probe.dynamodb)))) {
    const windows = probes.flatMap((probe) => (probe.dynamodb[name] ? [probe.dynamodb[name]] : []));
    calls[name] = {
      count: windows.reduce((sum, w) => sum + w.count, 0),
      socketWaitP99Ms: worst(windows.map((w) => w.socketWaitMs.p99)),
      answerP50Ms: median(windows.map((w) => w.answerMs.p50)),
      answerP99Ms: worst(windows.map((w) => w.answerMs.p99)),
    };
  }
  return {
    windows: probes.length,
    eventLoop: {
      utilization: Number((probes.reduce((sum, p) => sum + p.eventLoop.utilization, 0) / probes.length).toFixed(3)),
      delayP99Ms: worst(probes.map((p) => p.eventLoop.delayP99Ms)),
      delayMaxMs: worst(probes.map((p) => p.eventLoop.delayMaxMs)),
    },
    dynamodb: calls,
    socketsInUseMax: worst(probes.map((p) => p.socketsInUse)),
  };
}
