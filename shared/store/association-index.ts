/**
 * The association index: which associations a node may see, found by key (keys.ts,
 * AssociationLookup). Each association has one item per lookup key of its targets
 * (shared/domain/targets.ts `associationLookupKeys`); a node's view queries the keys the node
 * looks up, in parallel, and reads the heads they name. The reader checks every head with
 * `appliesTo`, so an index item is only ever a hint: one too many (stale) costs a read and shows
 * nothing wrong; one missing would hide an association from a node. The writes below are ordered
 * so that a missing one is impossible, crash or race:
 *
 * - When the items a change needs fit beside the head in its transaction (100 items), they go
 *   in it: puts of the keys the association gains and deletes of the keys it loses, atomic with
 *   the head. An unconditional delete there is safe: whoever wrote that key before the commit
 *   read an older head, so its own transaction, conditioned on that head's Revision, fails.
 * - Otherwise (targets hold up to 5 keys x 50 values, so up to 250 items) the keys gained are
 *   put *before* the transaction, and the keys lost deleted *after* it commits. A crash between
 *   leaves extra items only (hints); a failed transaction leaves its early puts as hints too.
 * - Each item carries the head Revision of the write that put it. An early put never lowers it
 *   (`Revision <= :revision`), and a late delete removes an item only if it was put before the
 *   commit that dropped the key (`Revision < :revision`): so when a later update gains the key
 *   again and puts it before our delayed delete arrives, the delete leaves it alone.
 * - A delete of the association removes the items of its current keys (in its transaction when
 *   they fit, after it otherwise); an association id is never reused, so leftovers are inert.
 *
 * Node tags are not in the index: a node looks up its keys from its tags as read with it, so a
 * change of a node's tags needs no index write and is seen by the next poll.
 *
 * Stale items (from a crash, a failed transaction, or a race in which a late delete found a newer
 * item) cost a head read each. A node's view that reads a head its hint led to and that does not
 * apply to the node drops them (`dropStaleHints`, conditioned on the Revision, so never a hint an
 * update in flight has put for a head it has not committed yet). A hint of a head that is gone is
 * left: it can't be told from the early put of a create in flight (an inert item; ids are never
 * reused).
 *
 * A table that held associations before this index existed would need them indexed once; this
 * is a new product with no deployed data, so there is no migration (a table built before it is
 * not supported: its associations would be invisible to nodes).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { AssociationRecord } from "../domain/associations/records.ts";
import { associationLookupKeys } from "../domain/associations/store.ts";
import { isConditionalCheckFailed } from "./dynamodb.ts";
import { batchGet, deleteItems, plain, type TransactItem } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

/** What a write of an association does to its index items. */
export type IndexPlan = {
  /** Items for the head's transaction (empty when the change does not fit it). */
  inTransaction: TransactItem[];
  /** Puts to make before the head's transaction (when the change does not fit it). */
  before: () => Promise<void>;
  /** Deletes to make after the head's transaction committed. */
  after: () => Promise<void>;
  /** After a failed create: its early puts go (a new id, which nobody else writes). */
  undo: () => Promise<void>;
};

type Indexed = Pick<AssociationRecord, "AssociationId" | "InstanceId" | "Targets" | "Revision">;

/**
 * The index items a change from `previous` to `next` needs (a create has no previous, a delete
 * no next), in the transaction when `room` items are left in it, around it otherwise.
 */
export function indexPlan(
  db: DynamoDBDocumentClient,
  table: string,
  scope: Scope,
  change: { previous?: Indexed; next?: Indexed },
  room: number,
): IndexPlan {
  const { previous, next } = change;
  const before = new Set(previous ? associationLookupKeys(previous) : []);
  const after = new Set(next ? associationLookupKeys(next) : []);
  const gained = [...after].filter((key) => !before.has(key));
  const lost = [...before].filter((key) => !after.has(key));
  const id = (next ?? previous)?.AssociationId as string;
  const item = (lookupKey: string) => ({
    ...keys.associationLookup(scope, lookupKey, id),
    Type: EntityType.AssociationLookup,
    AssociationId: id,
    Revision: next?.Revision ?? 0,
  });
  const nothing = async () => {};
  if (gained.length + lost.length <= room) {
    return {
      inTransaction: [
        ...gained.map((key): TransactItem => ({ Put: { TableName: table, Item: item(key) } })),
        ...lost.map(
          (key): TransactItem => ({
            Delete: { TableName: table, Key: keys.associationLookup(scope, key, id) },
          }),
        ),
      ],
      before: nothing,
      after: nothing,
      undo: nothing,
    };
  }
  const revision = next?.Revision ?? 0;
  return {
    inTransaction: [],
    // An update's failed early puts stay: another update of the same head may have put the same
    // keys for its own commit, and they can't be told apart. They are hints, checked by readers.
    undo: async () => {
      if (!previous)
        await deleteItems(
          db,
          table,
          gained.map((key) => keys.associationLookup(scope, key, id)),
        );
    },
    before: async () => {
      await Promise.all(
        gained.map((key) =>
          ignoringCondition(
            db.send(
              new PutCommand({
                TableName: table,
                Item: item(key),
                ConditionExpression: "attribute_not_exists(PK) OR Revision <= :revision",
                ExpressionAttributeValues: { ":revision": revision },
              }),
            ),
          ),
        ),
      );
    },
    after: async () => {
      // The association is gone for good: its items go whatever they hold.
      if (!next) {
        await deleteItems(
          db,
          table,
          lost.map((key) => keys.associationLookup(scope, key, id)),
        );
        return;
      }
      await Promise.all(
        lost.map((key) =>
          ignoringCondition(
            db.send(
              new DeleteCommand({
                TableName: table,
                Key: keys.associationLookup(scope, key, id),
                ConditionExpression: "Revision < :revision",
                ExpressionAttributeValues: { ":revision": revision },
              }),
            ),
          ),
        ),
      );
    },
  };
}

async function ignoringCondition(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * The associations indexed under any of these lookup keys: one Query per key, all at once (and
 * those of `laterKeys` as soon as they are known, without waiting for the others), then every
 * head they name in ONE BatchGetItem (`batchGet`: 100 keys a request, the requests at once),
 * strongly consistent, in id order. Some may not apply (hints): the caller checks each head.
 */
export async function indexedAssociations<T extends Pick<AssociationRecord, "AssociationId"> = AssociationRecord>(
  db: DynamoDBDocumentClient,
  table: string,
  scope: Scope,
  lookupKeys: readonly string[],
  laterKeys?: Promise<readonly string[]>,
  /** Only these attributes of each head. */
  projection?: readonly string[],
): Promise<T[]> {
  const query = (key: string) => idsUnder(db, table, keys.associationLookupPartition(scope, key));
  const found = await Promise.all([
    ...lookupKeys.map(query),
    laterKeys?.then((more) => Promise.all(more.filter((key) => !lookupKeys.includes(key)).map(query))),
  ]);
  const ids = new Set<string>();
  for (const list of found) for (const id of list?.flat() ?? []) ids.add(id);
  const heads = await batchGet(
    db,
    table,
    [...ids].map((id) => keys.association(scope, id)),
    projection,
  );
  return heads
    .map((item) => plain<T>(item))
    .sort((a, b) => (a.AssociationId < b.AssociationId ? -1 : a.AssociationId > b.AssociationId ? 1 : 0));
}

async function idsUnder(db: DynamoDBDocumentClient, table: string, partition: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": partition },
        ProjectionExpression: "AssociationId",
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => item.AssociationId as string));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Drops the hints of `associationId` under `lookupKeys` that are stale: put by a write no later
 * than the head as the caller read it (`Revision <= :revision`), which the caller saw has none of
 * these keys. A hint an update in flight has just put for its next commit carries that commit's
 * higher Revision, so the condition keeps it; a key gained again since is put again with a higher
 * Revision, so it is kept too. Best effort: a refused or failed delete leaves a hint, which costs
 * a read, no more.
 */
export async function dropStaleHints(
  db: DynamoDBDocumentClient,
  table: string,
  scope: Scope,
  stale: { associationId: string; revision: number; lookupKeys: readonly string[] },
): Promise<void> {
  await Promise.all(
    stale.lookupKeys.map((key) =>
      db
        .send(
          new DeleteCommand({
            TableName: table,
            Key: keys.associationLookup(scope, key, stale.associationId),
            ConditionExpression: "attribute_exists(PK) AND Revision <= :revision",
            ExpressionAttributeValues: { ":revision": stale.revision },
          }),
        )
        .catch(() => undefined),
    ),
  );
}
