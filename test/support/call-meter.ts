/**
 * A test table's DynamoDB calls, counted at the wire: each call's name (without "Command"), and
 * the round trips, a call that starts while none is in flight beginning a new one.
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
      meter.calls.push(String(context.commandName).replace(/Command$/, ""));
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
