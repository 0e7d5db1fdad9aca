/**
 * A test table's DynamoDB calls, counted at the wire: each call's name (without "Command"; a
 * request's audit record as AUDIT_RECORD), and the round trips, a call that starts while none is
 * in flight beginning a new one.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export type CallMeter = { readonly calls: string[]; readonly roundTrips: number; reset(): void };

export function meterCalls(db: DynamoDBDocumentClient): CallMeter {
  let inFlight = 0;
  const meter = {
    calls: [] as string[],
    roundTrips: 0,
    reset() {
      meter.calls.length = 0;
      meter.roundTrips = 0;
    },
  };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      meter.calls.push(isAuditRecord(args.input) ? AUDIT_RECORD : String(context.commandName).replace(/Command$/, ""));
      if (inFlight === 0) meter.roundTrips += 1;
      inFlight += 1;
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
      }
    },
    { step: "initialize", name: "meterCalls" },
  );
  return meter;
}

/** How a meter names the audit trail's PutItem of a request (shared/domain/audit/), counted apart. */
export const AUDIT_RECORD = "AuditRecord";

/** Whether a command's input is the audit record of a request. */
export function isAuditRecord(input: unknown): boolean {
  return (input as { Item?: { Type?: unknown } } | undefined)?.Item?.Type === "AuditEvent";
}

/**
 * A request's own calls, and whether it wrote its audit record: at most one, and last, a round
 * trip of its own once the answer is known.
 */
export function withoutAuditRecord(calls: readonly string[]): { commands: string[]; audited: boolean } {
  const records = calls.filter((call) => call === AUDIT_RECORD).length;
  if (records > 1 || (records === 1 && calls.at(-1) !== AUDIT_RECORD)) {
    throw new Error(`the audit record is written once, last: ${calls.join(", ")}`);
  }
  return { commands: calls.filter((call) => call !== AUDIT_RECORD), audited: records === 1 };
}

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"]);
type Consumed = { CapacityUnits?: number };

/**
 * The write units DynamoDB reports consumed by a test table's writes (ReturnConsumedCapacity
 * TOTAL: the table's and its index copies'), a request's audit record apart; `units` is reset by
 * setting it to 0.
 */
export function meterWriteUnits(db: DynamoDBDocumentClient): { units: number } {
  const meter = { units: 0 };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, "");
      if (!WRITES.has(command) || isAuditRecord(args.input)) return next(args);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      for (const each of ([] as Consumed[]).concat(consumed ?? [])) meter.units += each.CapacityUnits ?? 0;
      return result;
    },
    { step: "initialize", name: "meterWriteUnits" },
  );
  return meter;
}
