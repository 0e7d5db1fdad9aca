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
 *   A write's OWN calls are replayed too, by the bare server (bench/bare-server.ts): its reads as
 *   above, then its own transaction's items written again on fresh keys (`rawWriteReplay`). What
 *   no server making those calls can beat, against the raw transaction: the ceiling of the
 *   write's ratio.
 */
import { type DynamoDBClient, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { CachingDocumentClient } from "../../shared/store/caching-document-client.ts";
import type { Environment } from "./environment.ts";
import { TABLE } from "./environment.ts";
import type { MeteredCall } from "./meter.ts";

/**
 * The document client the raws send with: the stores' own (shared/store/dynamodb.ts), each
 * command class's middleware resolved once, one per low-level client.
 */
const documentClients = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();
function documentsOn(raw: DynamoDBClient): DynamoDBDocumentClient {
  let client = documentClients.get(raw);
  if (!client) {
    client = new CachingDocumentClient(raw, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
    documentClients.set(raw, client);
  }
  return client;
}

/** Tells the baselines made in one millisecond apart: each writes keys of its own. */
let baselines = 0;

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
  env: Pick<Environment, "raw">,
  calls: readonly MeteredCall[],
): { label: string; send: () => Promise<unknown> } | undefined {
  if (calls.length === 0 || calls.some((call) => !READS[call.command])) return undefined;
  const trips = byRoundTrip(calls);
  const client = documentsOn(env.raw);
  // As the service sends them: without the consumed capacity the meter asked for (DynamoDB Local
  // works it out item by item, which the throughput it is compared with never asks for).
  const inputs = new Map(
    calls.map((call) => {
      const { ReturnConsumedCapacity: _capacity, ...input } = call.input;
      return [call, input] as const;
    }),
  );
  return {
    label: `its calls: ${tripsLabel(trips)}`,
    send: async () => {
      for (const trip of trips) {
        await Promise.all(trip.map((call) => (READS[call.command] as Send)(client, inputs.get(call) as never)));
      }
    },
  };
}

/**
 * A write's own calls: the reads it made before its transaction, replayed as `rawReplay` sends
 * them, then its transaction's items on fresh keys (`ownTransaction`), then its audit record
 * (a PutItem after the answer: shared/domain/audit/) on a fresh key. Undefined when it made no
 * transaction, or a call that is neither a plain read before it, the transaction nor the record.
 */
export function rawWriteReplay(
  env: Pick<Environment, "raw">,
  calls: readonly MeteredCall[],
): { label: string; send: () => Promise<unknown> } | undefined {
  const transaction = calls.find((call) => call.command === "TransactWriteItems");
  if (!transaction) return undefined;
  const audit = calls.find(isAuditRecord);
  const reads = calls.filter((call) => call !== transaction && call !== audit);
  if (reads.some((call) => call.start >= transaction.start)) return undefined;
  if (audit && audit.start < transaction.end) return undefined;
  const replay = reads.length > 0 ? rawReplay(env, reads) : undefined;
  if (reads.length > 0 && !replay) return undefined;
  const write = ownTransaction(env, transaction.input.TransactItems as TransactItems);
  const record = audit ? ownPut(env, audit.input.Item as Item) : undefined;
  return {
    label: `its calls: ${tripsLabel([...byRoundTrip(reads), [transaction], ...(audit ? [[audit]] : [])])}`,
    send: async () => {
      await replay?.send();
      await write();
      await record?.();
    },
  };
}

type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;
type Item = Record<string, unknown>;
const INDEX_KEYS = ["GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"];

/**
 * An operation's own transaction, written again for request `i` on fresh keys: each partition it
 * wrote gets a fresh one (items that shared one still do), the sort keys stay, and the index keys
 * it set point into a partition of the benchmark's own, so the same index entries are written
 * without showing up in the account's lists. A replayed condition would fail on state that has
 * moved on, so every condition becomes the one a fresh key passes (`attribute_not_exists(PK)`,
 * which DynamoDB still evaluates against the stored item); an Update, whose expression reads
 * attributes a fresh item lacks, is written as a Put of its key and its values; a Delete deletes
 * nothing. Everything else of each item (its attributes, their nesting, its size) is the operation's.
 */
export function ownTransaction(env: Pick<Environment, "raw">, recorded: TransactItems): () => Promise<unknown> {
  const client = documentsOn(env.raw);
  const run = `${Date.now().toString(36)}-${baselines++}`;
  // Its own count, as rawTransaction's: the load's i starts again at 0 in every cell.
  let sent = 0;
  return () => {
    const i = sent++;
    const partitions = new Map<unknown, string>();
    const fresh = (key: Item): Item => {
      if (!partitions.has(key.PK)) partitions.set(key.PK, `BENCH#calls#${run}#${i}#${partitions.size}`);
      return { PK: partitions.get(key.PK), SK: key.SK };
    };
    const condition = (had: unknown) => (had ? { ConditionExpression: "attribute_not_exists(PK)" } : {});
    const TransactItems = recorded.map((entry): TransactItems[number] => {
      if (entry.Put) {
        const item: Item = { ...entry.Put.Item, ...fresh(entry.Put.Item as Item) };
        for (const name of INDEX_KEYS)
          if (name in item) item[name] = `BENCH#calls#${run}#${name}#${String(item[name])}`;
        return { Put: { TableName: TABLE, Item: item, ...condition(entry.Put.ConditionExpression) } };
      }
      if (entry.Update) {
        const values = Object.entries(entry.Update.ExpressionAttributeValues ?? {}).map(
          ([name, value]) => [`value_${name.slice(1)}`, value] as const,
        );
        const item = { ...Object.fromEntries(values), ...fresh(entry.Update.Key as Item) };
        return { Put: { TableName: TABLE, Item: item, ...condition(entry.Update.ConditionExpression) } };
      }
      if (entry.Delete) return { Delete: { TableName: TABLE, Key: fresh(entry.Delete.Key as Item) } };
      const check = entry.ConditionCheck as NonNullable<TransactItems[number]["ConditionCheck"]>;
      return {
        ConditionCheck: {
          TableName: TABLE,
          Key: fresh(check.Key as Item),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      };
    });
    return client.send(new TransactWriteCommand({ TransactItems }));
  };
}

/** A request's audit record, which the service writes after its answer (shared/store/audit-store.ts). */
const isAuditRecord = (call: MeteredCall): boolean =>
  call.command === "PutItem" && (call.input.Item as Item | undefined)?.Type === "AuditEvent";

/** An item written again for each request on a fresh key, its index keys in the benchmark's own partitions. */
function ownPut(env: Pick<Environment, "raw">, recorded: Item): () => Promise<unknown> {
  const client = documentsOn(env.raw);
  const run = `${Date.now().toString(36)}-${baselines++}`;
  let sent = 0;
  return () => {
    const item: Item = { ...recorded, PK: `BENCH#calls#${run}#${sent++}#audit` };
    for (const name of INDEX_KEYS) if (name in item) item[name] = `BENCH#calls#${run}#${name}#${String(item[name])}`;
    return client.send(new PutCommand({ TableName: TABLE, Item: item }));
  };
}

/** Round trips as a label: → separates them, + joins calls sent together. */
const tripsLabel = (trips: readonly MeteredCall[][]): string =>
  trips.map((trip) => trip.map((c) => (c.items > 1 ? `${c.command}(${c.items})` : c.command)).join(" + ")).join(" → ");

/** A transaction of `items` conditional puts on fresh keys, `bytes` of payload in all. */
export function rawTransaction(
  env: Pick<Environment, "raw">,
  items: number,
  bytes: number,
): (i: number) => Promise<unknown> {
  const payload = "x".repeat(Math.max(1, Math.floor(bytes / Math.max(items, 1)) - 60));
  const run = `${Date.now().toString(36)}-${baselines++}-${items}`;
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
