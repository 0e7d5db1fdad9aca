/**
 * Inventory in the single table. Each (node, type) has a head item, listed per type across the
 * account's nodes through GSI1. A type's entries sit in the head only when their JSON is at most
 * INLINE_BYTES; larger ones are in binary parts of up to PART_BYTES each, so that no item comes
 * near DynamoDB's 400 KB item limit and the head stays small: an unchanged upload (hash only)
 * rewrites the head's capture time, and DynamoDB bills an update by the whole item's size (and
 * again for its GSI1 copy), so entries kept in the head would be paid for on every upload.
 * Heads written before INLINE_BYTES existed keep up to PART_BYTES inline and are read as they are.
 * Custom type names are registered once per account and Region and counted, in the same
 * transaction as the data, against the custom type limit.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { customSchemaLimit } from "../domain/inventory/errors.ts";
import type { InventoryEntry, InventoryTypeRecord, InventoryWrite } from "../domain/inventory/records.ts";
import type { InventoryStore } from "../domain/inventory/store.ts";
import { TooManyUpdates } from "../errors.ts";
import { failedCondition, retryOnConflict } from "./dynamodb.ts";
import {
  batchGet,
  batchGetById,
  gsiPage,
  keyId,
  plain,
  queryPages,
  TableStore,
  type TransactItem,
  transact,
} from "./items.ts";
import { EntityType, keys } from "./keys.ts";

/** Entries up to this many bytes of JSON stay in the head: with its keys and fields, one write unit (1 KB). */
export const INLINE_BYTES = 512;
/** Larger entries go into parts of at most this many bytes. */
export const PART_BYTES = 300 * 1024;

type StoredHead = InventoryTypeRecord & { Revision?: number };

const HEAD_FIELDS = [
  "InstanceId",
  "TypeName",
  "SchemaVersion",
  "CaptureTime",
  "ContentHash",
  "Content",
  "Parts",
  "Context",
] as const;

function headOf(item: Record<string, unknown>): StoredHead {
  const record = plain<Record<string, unknown>>(item);
  const head: Record<string, unknown> = {};
  for (const field of [...HEAD_FIELDS, "Revision"]) if (record[field] !== undefined) head[field] = record[field];
  return head as StoredHead;
}

/** Entries from their parts, in part order. */
function joinParts(parts: readonly Record<string, unknown>[]): InventoryEntry[] {
  const bytes = Buffer.concat(parts.map((part) => Buffer.from(part.Data as Uint8Array)));
  return JSON.parse(bytes.toString("utf8")) as InventoryEntry[];
}

/** `joinParts`, or undefined when the parts are not one version's whole JSON. */
function tryJoinParts(parts: readonly Record<string, unknown>[]): InventoryEntry[] | undefined {
  try {
    return joinParts(parts);
  } catch {
    return undefined;
  }
}

export class DynamoInventoryStore extends TableStore implements InventoryStore {
  constructor(
    db: DynamoDBDocumentClient,
    table: string,
    private readonly customTypeLimit: number,
  ) {
    super(db, table);
  }

  async typesOfNode(scope: Scope, instanceId: string): Promise<InventoryTypeRecord[]> {
    const heads: StoredHead[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :type)",
      ExpressionAttributeValues: {
        ":pk": keys.inventoryPartition(scope, instanceId),
        ":type": keys.inventoryTypePrefix(),
      },
      // Only what a write compares against: not the entries themselves.
      ProjectionExpression: "InstanceId, TypeName, SchemaVersion, CaptureTime, ContentHash, Parts, Revision",
      ConsistentRead: true,
    })) {
      heads.push(...items.map(headOf));
    }
    return heads;
  }

  async typeOfNodes(
    scope: Scope,
    instanceIds: readonly string[],
    typeName: string,
  ): Promise<Map<string, InventoryTypeRecord>> {
    const found = await batchGet(
      this.db,
      this.table,
      instanceIds.map((id) => keys.inventoryType(scope, id, typeName)),
    );
    return new Map(found.map((item) => [item.InstanceId as string, headOf(item)]));
  }

  async typeOfNode(scope: Scope, instanceId: string, typeName: string): Promise<InventoryTypeRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.inventoryType(scope, instanceId, typeName),
        ConsistentRead: true,
      }),
    );
    return Item ? headOf(Item) : undefined;
  }

  async customTypes(scope: Scope): Promise<Set<string>> {
    const names = new Set<string>();
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": keys.customInventoryTypePartition(scope) },
      ProjectionExpression: "TypeName",
      ConsistentRead: true,
    })) {
      for (const item of items) names.add(item.TypeName as string);
    }
    return names;
  }

  async entriesOf(scope: Scope, record: InventoryTypeRecord): Promise<InventoryEntry[]> {
    if (!record.Parts) return record.Content ?? [];
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :first AND :last",
        ExpressionAttributeValues: {
          ":pk": keys.inventoryPartition(scope, record.InstanceId),
          ":first": keys.inventoryPart(scope, record.InstanceId, record.TypeName, 1).SK,
          ":last": keys.inventoryPart(scope, record.InstanceId, record.TypeName, record.Parts).SK,
        },
        ConsistentRead: true,
      }),
    );
    return joinParts(Items);
  }

  async entriesOfEach(scope: Scope, records: readonly InventoryTypeRecord[]): Promise<InventoryEntry[][]> {
    const partKeys = (record: InventoryTypeRecord) =>
      Array.from({ length: record.Parts ?? 0 }, (_, i) =>
        keys.inventoryPart(scope, record.InstanceId, record.TypeName, i + 1),
      );
    // Every part of every head in one batch read (BatchGetItem per 100 keys), not a query a head.
    const found = await batchGetById(this.db, this.table, records.flatMap(partKeys));
    return Promise.all(
      records.map(async (record) => {
        if (!record.Parts) return record.Content ?? [];
        const parts = partKeys(record).map((key) => found.get(keyId(key)));
        const entries = parts.every((part) => part !== undefined) ? tryJoinParts(parts) : undefined;
        if (entries) return entries;
        // The head came from the index (eventually consistent) and its type was rewritten since:
        // the parts are another version's. Its current head and parts, read consistently.
        const current = await this.typeOfNode(scope, record.InstanceId, record.TypeName);
        return current ? this.entriesOf(scope, current) : [];
      }),
    );
  }

  async nodesWithType(scope: Scope, typeName: string, after: string | undefined, limit: number) {
    const page = await gsiPage<Record<string, unknown>>(
      this.db,
      this.table,
      keys.inventoryTypeListingPartition(scope, typeName),
      after,
      limit,
    );
    return { items: page.items.map(headOf), more: page.more };
  }

  async write(scope: Scope, instanceId: string, writes: InventoryWrite[], newCustomTypes: string[]): Promise<void> {
    const transaction: TransactItem[] = [];
    // What each position in the transaction stands for, to name the condition that failed.
    const roles: ("head" | "counter" | "schema" | "part")[] = [];
    for (const write of writes) {
      const previous = write.previous as StoredHead | undefined;
      const revision = (previous?.Revision ?? 0) + 1;
      const guard = previous
        ? {
            ConditionExpression: "#rev = :rev",
            ExpressionAttributeNames: { "#rev": "Revision" },
            ExpressionAttributeValues: { ":rev": previous.Revision ?? 0 },
          }
        : { ConditionExpression: "attribute_not_exists(PK)" };
      const key = keys.inventoryType(scope, instanceId, write.record.TypeName);
      if (write.content === undefined && previous) {
        // Unchanged data (same ContentHash): only the head's capture time and version move.
        transaction.push({
          Update: {
            TableName: this.table,
            Key: key,
            UpdateExpression: "SET CaptureTime = :time, SchemaVersion = :version, #rev = :next",
            ConditionExpression: guard.ConditionExpression,
            ExpressionAttributeNames: { "#rev": "Revision" },
            ExpressionAttributeValues: {
              ":time": write.record.CaptureTime,
              ":version": write.record.SchemaVersion,
              ":next": revision,
              ":rev": previous.Revision ?? 0,
            },
          },
        });
        roles.push("head");
        continue;
      }
      const json = Buffer.from(JSON.stringify(write.content ?? []), "utf8");
      const inline = json.length <= INLINE_BYTES;
      const parts = inline ? 0 : Math.ceil(json.length / PART_BYTES);
      transaction.push({
        Put: {
          TableName: this.table,
          Item: {
            ...key,
            ...keys.inventoryTypeListing(scope, write.record.TypeName, instanceId),
            Type: EntityType.InventoryType,
            ...write.record,
            ...(inline ? { Content: write.content ?? [] } : { Parts: parts }),
            Revision: revision,
          },
          ...guard,
        },
      });
      roles.push("head");
      for (let part = 1; part <= parts; part++) {
        transaction.push({
          Put: {
            TableName: this.table,
            Item: {
              ...keys.inventoryPart(scope, instanceId, write.record.TypeName, part),
              Type: EntityType.InventoryPart,
              Data: json.subarray((part - 1) * PART_BYTES, part * PART_BYTES),
            },
          },
        });
        roles.push("part");
      }
      for (let stale = parts + 1; stale <= (previous?.Parts ?? 0); stale++) {
        transaction.push({
          Delete: { TableName: this.table, Key: keys.inventoryPart(scope, instanceId, write.record.TypeName, stale) },
        });
        roles.push("part");
      }
    }
    if (newCustomTypes.length > 0) {
      transaction.push({
        Update: {
          TableName: this.table,
          Key: keys.counter(scope, "CustomInventoryTypes"),
          UpdateExpression: "SET #count = if_not_exists(#count, :zero) + :n, #type = :type",
          ConditionExpression: "attribute_not_exists(#count) OR #count <= :most",
          ExpressionAttributeNames: { "#count": "Count", "#type": "Type" },
          ExpressionAttributeValues: {
            ":zero": 0,
            ":n": newCustomTypes.length,
            ":most": this.customTypeLimit - newCustomTypes.length,
            ":type": EntityType.Counter,
          },
        },
      });
      roles.push("counter");
      for (const typeName of newCustomTypes) {
        transaction.push({
          Put: {
            TableName: this.table,
            Item: {
              ...keys.customInventoryType(scope, typeName),
              Type: EntityType.CustomInventoryType,
              TypeName: typeName,
            },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        });
        roles.push("schema");
      }
    }
    try {
      await retryOnConflict(() => transact(this.db, transaction));
    } catch (error) {
      const failed = failedCondition(error);
      if (!failed) throw error;
      if (roles[failed.index] === "counter") throw customSchemaLimit(this.customTypeLimit);
      throw new TooManyUpdates(
        `Inventory of ${instanceId} was changed by a concurrent request (or a custom type was registered at the same time); try again.`,
      );
    }
  }
}
