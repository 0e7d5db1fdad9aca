/**
 * Counts what an operation asks of DynamoDB: a middleware around the store's DynamoDB client
 * records each call (command, wall time, items written, consumed capacity) made while
 * `meter.run(...)` runs. Runs never overlap (the bench meters one request at a time, in a row),
 * so the run in progress is a plain field, not AsyncLocalStorage: its promise hooks put a cost on
 * every promise of the request (about 0.1 ms of a node's poll) that a deployed function, which
 * runs no AsyncLocalStorage (Lambda's invoke store is single-context), does not pay. Calls
 * outside a run pass through untouched.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export type MeteredCall = {
  command: string;
  start: number;
  end: number;
  /** Items a transaction or batch names (1 for single-item calls). */
  items: number;
  /** Capacity units DynamoDB reports consumed (ReturnConsumedCapacity: TOTAL). */
  capacity: number | undefined;
  /** Size of the request's items as JSON (for a raw baseline of the same shape). */
  bytes: number;
  /** The command's input as the store sent it (for replaying the same calls as a raw baseline). */
  input: Record<string, unknown>;
};

export type Tally = { calls: MeteredCall[] };

/** Data-plane commands that accept ReturnConsumedCapacity. */
const CAPACITY_COMMANDS = new Set([
  "GetItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchGetItemCommand",
  "BatchWriteItemCommand",
  "TransactGetItemsCommand",
  "TransactWriteItemsCommand",
]);

type Capacity = { CapacityUnits?: number } | undefined;

function itemCount(input: Record<string, unknown>): number {
  if (Array.isArray(input.TransactItems)) return input.TransactItems.length;
  const requests = (input.RequestItems ?? undefined) as Record<string, unknown> | undefined;
  if (requests) {
    return Object.values(requests).reduce<number>(
      (sum, entry) => sum + (Array.isArray(entry) ? entry.length : ((entry as { Keys?: unknown[] }).Keys?.length ?? 0)),
      0,
    );
  }
  return 1;
}

export class DynamoMeter {
  /** The run in progress. */
  private current: Tally | undefined;
  /** Ask DynamoDB for the capacity each call consumed (only inside runs). */
  capacity = true;

  attach(db: DynamoDBDocumentClient): void {
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const tally = this.current;
        if (!tally) return next(args);
        const command = (context as { commandName?: string }).commandName ?? "unknown";
        const input = args.input as Record<string, unknown>;
        if (this.capacity && CAPACITY_COMMANDS.has(command) && input.ReturnConsumedCapacity === undefined) {
          input.ReturnConsumedCapacity = "TOTAL";
        }
        const call: MeteredCall = {
          command: command.replace(/Command$/, ""),
          start: performance.now(),
          end: 0,
          items: itemCount(input),
          capacity: undefined,
          bytes: command === "TransactWriteItemsCommand" ? JSON.stringify(input.TransactItems).length : 0,
          input,
        };
        tally.calls.push(call);
        try {
          const result = await next(args);
          const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
          const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
          if (list.length > 0) call.capacity = list.reduce((sum, c) => sum + (c?.CapacityUnits ?? 0), 0);
          return result;
        } finally {
          call.end = performance.now();
        }
      },
      { step: "initialize", name: "benchDynamoMeter", priority: "high" },
    );
  }

  /** Runs `work`, returning its wall time and the DynamoDB calls made on its behalf. */
  async run<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; tally: Tally }> {
    if (this.current) throw new Error("meter.run: runs must not overlap");
    const tally: Tally = { calls: [] };
    this.current = tally;
    try {
      const start = performance.now();
      const result = await work();
      return { result, ms: performance.now() - start, tally };
    } finally {
      this.current = undefined;
    }
  }
}

/** Wall time during which at least one DynamoDB call was in flight (parallel calls count once). */
export function dynamoTime(tally: Tally): number {
  const spans = tally.calls.map((c) => [c.start, c.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let open = Number.NEGATIVE_INFINITY;
  let close = Number.NEGATIVE_INFINITY;
  for (const [start, end] of spans) {
    if (start > close) {
      if (close > open) total += close - open;
      open = start;
      close = end;
    } else close = Math.max(close, end);
  }
  if (close > open) total += close - open;
  return total;
}

/** "GetItem, GetItem, TransactWriteItems(4)": the calls of one request, in order. */
export function describeCalls(tally: Tally): string {
  return tally.calls.map((c) => (c.items > 1 ? `${c.command}(${c.items})` : c.command)).join(", ");
}
