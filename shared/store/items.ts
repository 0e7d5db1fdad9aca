/**
 * Pieces every store shares: the TableStore base (client, table, a record by key), turning an
 * item back into a record, the conditional counter updates that hold per-account limits, every
 * page of a query, paging through GSI1 (a page, or all of it), pages of numbered versions, tag
 * writes on a head item, batch deletes, and deleting what is left of a partition.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Page } from "../lib/page.ts";
import { conditionalUpdate } from "./dynamodb.ts";
import { EntityType, GSI1, type Key, MAX_VERSION_NUMBER } from "./keys.ts";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Sends one transaction. A failed condition is found by its item's position (see failedCondition). */
export async function transact(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  await db.send(new TransactWriteCommand({ TransactItems: items }));
}

/** A record as the domain knows it: the item without its key attributes and entity type. */
export function plain<T>(item: Record<string, unknown>): T;
export function plain<T>(item: Record<string, unknown> | undefined): T | undefined;
export function plain<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  // A loop, not `{ PK, SK, ..., ...rest } = item`: V8 copies a rest with excluded keys slowly,
  // and a node's view turns a few hundred items a request into records.
  const rest: Record<string, unknown> = {};
  for (const key in item) if (!KEY_ATTRIBUTES.has(key)) rest[key] = item[key];
  return rest as T;
}

const KEY_ATTRIBUTES = new Set(["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "Type"]);

/** One item by key, as a record; strongly consistent unless the caller can do with less. */
export async function getRecord<T>(
  db: DynamoDBDocumentClient,
  table: string,
  key: Key,
  consistent = true,
): Promise<T | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: consistent }));
  return plain<T>(Item);
}

/**
 * What every Dynamo*Store is built on: the document client and the table (the composition root
 * passes both), and a read of one record by key, strongly consistent unless `consistent` is false.
 */
export abstract class TableStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
  ) {}

  protected record<T>(key: Key, consistent = true): Promise<T | undefined> {
    return getRecord<T>(this.db, this.table, key, consistent);
  }
}

/**
 * Strongly consistent reads of items by key. Reads of one table that start in the same turn of
 * the event loop (a request's independent reads, started together with Promise.all: a
 * document and the nodes an association names, a node and a legacy association's pointer) go to
 * DynamoDB as ONE BatchGetItem (100 keys a request), so they cost one round trip, not one each;
 * whatever DynamoDB holds back is sent again. Items come back in no particular order; missing
 * ones are absent.
 */
export function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  wanted: readonly Key[],
  /** Only these attributes (the keys come too): reads with the same projection are joined. */
  projection?: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (wanted.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const ids = join(db, table, wanted, projection, {
      // Each waiter picks its own keys from the batch's items by id (a batch joins many small
      // reads: a node's view reads a document per association). A batch of one waiter's keys
      // found nothing else.
      resolve: (found, alone) => {
        if (alone) return resolve(found.items);
        const mine: Record<string, unknown>[] = [];
        const byId = itemsById(found);
        for (const id of ids.length > 1 ? new Set(ids) : ids) {
          const item = byId.get(id);
          if (item) mine.push(item);
        }
        resolve(mine);
      },
      reject,
    });
  });
}

/** `batchGet`, answered as the items found by their `keyId` (absent: not there). */
export function batchGetById(
  db: DynamoDBDocumentClient,
  table: string,
  wanted: readonly Key[],
  projection?: readonly string[],
): Promise<ReadonlyMap<string, Record<string, unknown>>> {
  if (wanted.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    join(db, table, wanted, projection, { resolve: (found) => resolve(itemsById(found)), reject });
  });
}

/** What a batch found: its items, and a map of them by id once a waiter asks for it. */
type Found = { items: Record<string, unknown>[]; byId?: Map<string, Record<string, unknown>> };
const itemsById = (found: Found) => {
  found.byId ??= new Map(found.items.map((item) => [keyId(item as Key), item]));
  return found.byId;
};

type Waiter = { resolve: (found: Found, alone: boolean) => void; reject: (error: unknown) => void };
type PendingBatch = { keys: Map<string, Key>; waiters: Waiter[] };
const pendingReads = new WeakMap<DynamoDBDocumentClient, Map<string, PendingBatch>>();
/** An item's identity in a batch: its key as one string. */
export const keyId = (key: Key): string => `${key.PK}\u0000${key.SK}`;

/** Adds `wanted` and its waiter to this turn's batch for the table and projection; the keys' ids. */
function join(
  db: DynamoDBDocumentClient,
  table: string,
  wanted: readonly Key[],
  projection: readonly string[] | undefined,
  waiter: Waiter,
): string[] {
  const tables = pendingReads.get(db) ?? new Map<string, PendingBatch>();
  pendingReads.set(db, tables);
  const batchId = projection ? `${table}\u0000${projectionOf(projection).id}` : table;
  const batch = tables.get(batchId) ?? openBatch(db, table, tables, batchId, projection);
  const ids = wanted.map(keyId);
  for (let i = 0; i < ids.length; i++) batch.keys.set(ids[i] as string, wanted[i] as Key);
  batch.waiters.push(waiter);
  return ids;
}

/** A batch that whatever else this turn reads joins; it goes once the turn is over. */
function openBatch(
  db: DynamoDBDocumentClient,
  table: string,
  tables: Map<string, PendingBatch>,
  batchId: string,
  projection: readonly string[] | undefined,
): PendingBatch {
  const batch: PendingBatch = { keys: new Map(), waiters: [] };
  tables.set(batchId, batch);
  setImmediate(() => {
    tables.delete(batchId);
    void sendBatch(db, table, batch, projection);
  });
  return batch;
}

async function sendBatch(
  db: DynamoDBDocumentClient,
  table: string,
  batch: PendingBatch,
  projection: readonly string[] | undefined,
): Promise<void> {
  try {
    const wanted = [...batch.keys.values()];
    const chunks: Key[][] = [];
    for (let i = 0; i < wanted.length; i += 100) chunks.push(wanted.slice(i, i + 100));
    const read = await Promise.all(chunks.map((chunk) => readChunk(db, table, chunk, projection)));
    const found: Found = { items: read.length === 1 ? (read[0] as Record<string, unknown>[]) : read.flat() };
    const alone = batch.waiters.length === 1;
    for (const waiter of batch.waiters) waiter.resolve(found, alone);
  } catch (error) {
    for (const waiter of batch.waiters) waiter.reject(error);
  }
}

/** Up to 100 keys, in one request, and again for whatever DynamoDB held back. */
async function readChunk(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  projection: readonly string[] | undefined,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const projected = projection ? projectionOf(projection) : undefined;
  let pending = keys;
  while (pending.length > 0) {
    const { Responses, UnprocessedKeys } = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: pending,
            ConsistentRead: true,
            ...(projected && {
              ProjectionExpression: projected.expression,
              ExpressionAttributeNames: { ...projected.names },
            }),
          },
        },
      }),
    );
    const items = Responses?.[table] ?? [];
    for (let i = 0; i < items.length; i++) found.push(items[i] as Record<string, unknown>);
    pending = (UnprocessedKeys?.[table]?.Keys as Key[] | undefined) ?? [];
  }
  return found;
}

/**
 * A projection's expression and names, with the keys, and its id among a turn's batches: worked
 * out once per projection (a constant).
 */
const projections = new WeakMap<readonly string[], { id: string; expression: string; names: Record<string, string> }>();
function projectionOf(projection: readonly string[]) {
  let projected = projections.get(projection);
  if (!projected) {
    const names = ["PK", "SK", ...projection];
    projected = {
      id: projection.join(","),
      expression: names.map((_, i) => `#a${i}`).join(", "),
      names: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
    };
    projections.set(projection, projected);
  }
  return projected;
}

/** One attribute of an item by key: what a unique item points to (a version number, an id). */
export async function getAttribute<T>(
  db: DynamoDBDocumentClient,
  table: string,
  key: Key,
  name: string,
): Promise<T | undefined> {
  return (await getRecord<Record<string, T>>(db, table, key))?.[name];
}

/** Takes one slot of a per-account limit: fails its condition once `limit` slots are taken. */
export function takeSlot(table: string, counter: Key, limit: number): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: counter,
      UpdateExpression: "SET #count = if_not_exists(#count, :zero) + :one, #type = :type",
      ConditionExpression: "attribute_not_exists(#count) OR #count < :limit",
      ExpressionAttributeNames: { "#count": "Count", "#type": "Type" },
      ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":limit": limit, ":type": EntityType.Counter },
    },
  };
}

/** Gives a slot back. */
export function releaseSlot(table: string, counter: Key): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: counter,
      UpdateExpression: "SET #count = #count - :one",
      ConditionExpression: "#count > :zero",
      ExpressionAttributeNames: { "#count": "Count" },
      ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
    },
  };
}

/** One page of a GSI1 partition in sort-key order, after a given sort key. */
export async function gsiPage<T>(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
  after: string | undefined,
  limit: number,
): Promise<Page<T>> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: GSI1,
      KeyConditionExpression: after ? "GSI1PK = :pk AND GSI1SK > :after" : "GSI1PK = :pk",
      ExpressionAttributeValues: after ? { ":pk": partition, ":after": after } : { ":pk": partition },
      // One more than asked for tells whether another page exists.
      Limit: limit + 1,
    }),
  );
  return { items: Items.slice(0, limit).map((item) => plain<T>(item)), more: Items.length > limit };
}

/**
 * Every page of a query, in key order, each as soon as it is read: the query again from the
 * page's LastEvaluatedKey until there is none (one round trip a page).
 */
export async function* queryPages(
  db: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, "ExclusiveStartKey">,
): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...query, ExclusiveStartKey: start }));
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Deletes items by their keys, 25 a batch, sending again whatever DynamoDB left unprocessed. */
export async function deleteItems(
  db: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = items
      .slice(i, i + 25)
      .map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } }));
    while (requests && requests.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
}

/** Every record of a GSI1 partition. */
export async function gsiAll<T>(db: DynamoDBDocumentClient, table: string, partition: string): Promise<T[]> {
  const all: T[] = [];
  for await (const items of queryPages(db, {
    TableName: table,
    IndexName: GSI1,
    KeyConditionExpression: "GSI1PK = :pk",
    ExpressionAttributeValues: { ":pk": partition },
  })) {
    all.push(...items.map((item) => plain<T>(item)));
  }
  return all;
}

/**
 * One page of the numbered versions of a partition, oldest first, or newest first below `after`.
 * Version sort keys are zero-padded numbers, so a range of numbers is a range of keys.
 */
export async function versionPage<T>(
  db: DynamoDBDocumentClient,
  table: string,
  versionKey: (version: number) => Key,
  options: { after?: number; limit: number; newestFirst?: boolean },
): Promise<Page<T>> {
  const { after, limit, newestFirst = false } = options;
  const [low, high] =
    after === undefined ? [1, MAX_VERSION_NUMBER] : newestFirst ? [1, after - 1] : [after + 1, MAX_VERSION_NUMBER];
  if (low > high) return { items: [], more: false };
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
      ExpressionAttributeValues: {
        ":pk": versionKey(low).PK,
        ":low": versionKey(low).SK,
        ":high": versionKey(high).SK,
      },
      ScanIndexForward: !newestFirst,
      ConsistentRead: true,
      // One more than asked for tells whether another page exists without an empty last page.
      Limit: limit + 1,
    }),
  );
  return { items: Items.slice(0, limit).map((item) => plain<T>(item)), more: Items.length > limit };
}

/**
 * Replaces the tags of a head item on condition that it is still the revision read (and, with
 * `activeOnly`, still Active). When the condition fails, `refused` gets the item as it was
 * (undefined when it is gone) and says which domain error that is.
 */
export async function writeTags(
  db: DynamoDBDocumentClient,
  table: string,
  head: { key: Key; revision: number; activeOnly?: boolean },
  tags: Tag[],
  refused: (old: Record<string, unknown> | undefined) => Error,
): Promise<void> {
  await conditionalUpdate(
    db,
    {
      TableName: table,
      Key: head.key,
      UpdateExpression: "SET Tags = :tags, Revision = Revision + :one",
      ConditionExpression: head.activeOnly ? "Revision = :revision AND #status = :active" : "Revision = :revision",
      ...(head.activeOnly ? { ExpressionAttributeNames: { "#status": "Status" } } : {}),
      ExpressionAttributeValues: {
        ":tags": tags,
        ":one": 1,
        ":revision": head.revision,
        ...(head.activeOnly ? { ":active": "Active" } : {}),
      },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
    refused,
  );
}

/** Deletes every item of a partition except those whose sort key is in `keep`, 25 at a time. */
export async function deletePartition(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  keep: readonly string[] = [],
): Promise<void> {
  for await (const items of queryPages(db, {
    TableName: table,
    KeyConditionExpression: "PK = :pk",
    ExpressionAttributeValues: { ":pk": pk },
    ProjectionExpression: "PK, SK",
    ConsistentRead: true,
  })) {
    await deleteItems(
      db,
      table,
      items.filter((item) => !keep.includes(item.SK as string)),
    );
  }
}
