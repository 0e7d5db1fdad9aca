/**
 * The physical limit of this store on this machine: raw DynamoDB Local calls of the same shape
 * as an operation, sent with the stores' own low-level DynamoDB client (no server, no SigV4 verification, no domain).
 *
 * - A read (and a list: a Query page of the same items, several queries, batches of the same
 *   keys) is compared with ITS OWN DynamoDB calls, replayed: the calls one request made (as the
 *   meter recorded them, inputs and all), round trip by round trip (calls that were in flight
 *   together are sent together), through the plain document client. Same items, same page sizes,
 *   same dependent steps: only the server is missing.
 * - A write is compared with a TransactWriteItems of as many items (and about as many bytes) as
 *   the operation's own transaction, on fresh keys (a replay of a conditional write would fail).
 */
import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Environment } from "./environment.ts";
import { TABLE } from "./environment.ts";
import type { MeteredCall } from "./meter.ts";

type Send = (client: DynamoDBDocumentClient, input: never) => Promise<unknown>;
/** The read commands a replay can send again as they were (a write is never replayed). */
const READS: Record<string, Send> = {
  GetItem: (client, input) => client.send(new GetCommand(input)),
  BatchGetItem: (client, input) => client.send(new BatchGetCommand(input)),
  Query: (client, input) => client.send(new QueryCommand(input)),
  Scan: (client, input) => client.send(new ScanCommand(input)),
  TransactGetItems: (client, input) => client.send(new TransactGetCommand(input)),
};

/** Calls grouped by round trip: a call that starts when none is in flight begins the next one. */
export function byRoundTrip(calls: readonly MeteredCall[]): MeteredCall[][] {
  const trips: MeteredCall[][] = [];
  let close = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (call.start >= close || trips.length === 0) trips.push([]);
    trips[trips.length - 1]?.push(call);
    close = Math.max(close, call.end);
  }
  return trips;
}

/**
 * One request's reads, sent again with the plain client: its round trips in turn, the calls of
 * each at once. Undefined when the request made no read, or a call that is not a plain read.
 */
export function rawReplay(
  env: Environment,
  calls: readonly MeteredCall[],
): { label: string; send: () => Promise<unknown> } | undefined {
  if (calls.length === 0 || calls.some((call) => !READS[call.command])) return undefined;
  const trips = byRoundTrip(calls);
  const client = DynamoDBDocumentClient.from(env.raw);
  // As the service sends them: without the consumed capacity the meter asked for (DynamoDB Local
  // works it out item by item, which the throughput it is compared with never asks for).
  const inputs = new Map(
    calls.map((call) => {
      const { ReturnConsumedCapacity: _capacity, ...input } = call.input;
      return [call, input] as const;
    }),
  );
  const label = `its calls: ${trips
    .map((trip) => trip.map((c) => (c.items > 1 ? `${c.command}(${c.items})` : c.command)).join(" + "))
    .join(" → ")}`;
  return {
    label,
    send: async () => {
      for (const trip of trips) {
        await Promise.all(trip.map((call) => (READS[call.command] as Send)(client, inputs.get(call) as never)));
      }
    },
  };
}

/** A transaction of `items` conditional puts on fresh keys, `bytes` of payload in all. */
export function rawTransaction(env: Environment, items: number, bytes: number): (i: number) => Promise<unknown> {
  const payload = "x".repeat(Math.max(1, Math.floor(bytes / Math.max(items, 1)) - 60));
  const run = `${Date.now().toString(36)}-${items}`;
  let sent = 0;
  return () => {
    const i = sent++;
    return env.raw.send(
      new TransactWriteItemsCommand({
        TransactItems: Array.from({ length: items }, (_, n) => ({
          Put: {
            TableName: TABLE,
            Item: { PK: { S: `BENCH#raw#${run}#${i}` }, SK: { S: `item#${n}` }, Payload: { S: payload } },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        })),
      }),
    );
  };
}
