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

export class ServerLog {
  #byOperation = new Map<string, OperationCost>();
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
    };
    try {
      entry = JSON.parse(line);
    } catch {
      this.other++;
      return;
    }
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
  }

  byOperation(): Record<string, OperationCost> {
    return Object.fromEntries([...this.#byOperation].sort(([a], [b]) => a.localeCompare(b)));
  }
}
