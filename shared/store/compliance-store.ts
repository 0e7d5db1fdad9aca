/**
 * Compliance items in the single table: one head per (resource, compliance type), holding the
 * items themselves while they fit one item (400 KB), and otherwise naming the generation of the
 * chunks that hold them (issue 15, item 3: the model allows 10,000 items in one upload).
 *
 * A replacement is crash-safe: the new chunks are written under a new generation first (no head
 * names it yet, so no reader sees them), then the head flips to it in one conditional write on
 * its revision, then the old generation's chunks are deleted. Interrupted anywhere, readers see
 * the old items or the new ones, never a mix; what is left (chunks of a generation no head names)
 * no read reaches, and the next write of the type deletes them: its read of the resource (one
 * query, which it makes anyway) notes them, and once its head has flipped they are deleted with
 * the old generation. That is safe against an upload of the type in flight: chunks this read saw
 * unnamed belong to an upload that read the head before us, and whose conditional flip therefore
 * fails once ours has landed (it then takes its chunks back itself).
 */
import { randomUUID } from "node:crypto";
import type { Scope } from "../context.ts";
import type { ComplianceItemRecord, ComplianceRecord } from "../domain/compliance/records.ts";
import type { ComplianceStore, ResourceCompliance } from "../domain/compliance/store.ts";
import { TooManyUpdates } from "../errors.ts";
import { conditionalPut } from "./dynamodb.ts";
import { writeEarly } from "./execution-items.ts";
import { deleteItems, gsiAll, plain, queryPages, TableStore } from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";

/** Items kept in the head up to this many bytes of JSON; above, in chunks of at most this much. */
const CHUNK_BYTES = 300 * 1024;

/** A head as stored: the record, and where its items are when they are not in it. */
type StoredHead = ComplianceRecord & { Generation?: string; Chunks?: number };
type StoredChunk = { ComplianceType: string; Generation: string; Chunk: number; Items: ComplianceItemRecord[] };

export class DynamoComplianceStore extends TableStore implements ComplianceStore {
  /** Every compliance type recorded on one resource, items assembled: one query (a page per MB). */
  async ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ResourceCompliance> {
    const items = await this.partition(keys.compliancePartition(scope, resourceType, resourceId));
    const leftovers: Leftovers = unnamedChunks(items);
    return Object.assign(assemble(items), { leftovers });
  }

  async put(
    scope: Scope,
    record: ComplianceRecord,
    previous: ComplianceRecord | undefined,
    read?: ResourceCompliance,
  ): Promise<void> {
    const old = previous as StoredHead | undefined;
    const items = record.Items;
    const chunks = split(items);
    const generation = randomUUID();
    const chunkItems = chunks.length > 1 ? this.chunkItems(scope, record, generation, chunks) : [];
    // The new generation first: no head names it yet, so no reader sees it.
    if (chunkItems.length > 0) await writeEarly(this.db, this.table, chunkItems);
    const inline = chunkItems.length === 0;
    try {
      await conditionalPut(
        this.db,
        {
          TableName: this.table,
          Item: {
            ...keys.compliance(scope, record.ResourceType, record.ResourceId, record.ComplianceType),
            ...keys.complianceListing(scope, record.ResourceId, record.ComplianceType),
            Type: EntityType.Compliance,
            ...record,
            Items: inline ? items : [],
            ...(inline ? {} : { Generation: generation, Chunks: chunkItems.length }),
          },
          ConditionExpression: previous ? "Revision = :revision" : "attribute_not_exists(PK)",
          ExpressionAttributeValues: previous ? { ":revision": previous.Revision } : undefined,
        },
        () => new TooManyUpdates("Compliance items changed concurrently. Try again."),
      );
    } catch (error) {
      // Lost the race (or the answer): these chunks are named by no head; take them back.
      if (chunkItems.length > 0) await deleteItems(this.db, this.table, chunkItems).catch(() => undefined);
      throw error;
    }
    // The head names the new items: the old generation's chunks are no longer read, nor are the
    // chunks interrupted uploads of the type left (noted by the read `previous` came from).
    const stale: Key[] = [...((read?.leftovers as Leftovers | undefined)?.get(record.ComplianceType) ?? [])];
    if (old?.Generation && old.Chunks) {
      for (let chunk = 1; chunk <= old.Chunks; chunk++) {
        stale.push(
          keys.complianceChunk(
            scope,
            record.ResourceType,
            record.ResourceId,
            record.ComplianceType,
            old.Generation,
            chunk,
          ),
        );
      }
    }
    if (stale.length > 0) await deleteItems(this.db, this.table, stale);
  }

  /** Every compliance record of the account and Region, in resource order, through GSI1. */
  async all(scope: Scope, options: { withItems?: boolean } = {}): Promise<ComplianceRecord[]> {
    const heads = await gsiAll<StoredHead>(this.db, this.table, keys.complianceListingPartition(scope));
    if (!options.withItems || !heads.some((head) => head.Chunks)) return heads.map(record);
    // Resources with chunked types are read whole (one query each), the others from the listing.
    const chunked = new Map<string, Promise<ComplianceRecord[]>>();
    for (const head of heads) {
      if (!head.Chunks) continue;
      const partition = keys.compliancePartition(scope, head.ResourceType, head.ResourceId);
      if (!chunked.has(partition)) chunked.set(partition, this.partition(partition).then(assemble));
    }
    const result: ComplianceRecord[] = [];
    for (const head of heads) {
      if (!head.Chunks) {
        result.push(record(head));
        continue;
      }
      const partition = keys.compliancePartition(scope, head.ResourceType, head.ResourceId);
      const whole = (await chunked.get(partition))?.find((r) => r.ComplianceType === head.ComplianceType);
      if (whole) result.push(whole);
    }
    return result;
  }

  private async partition(pk: string): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ConsistentRead: true,
    })) {
      all.push(...items);
    }
    return all;
  }

  private chunkItems(scope: Scope, record: ComplianceRecord, generation: string, chunks: ComplianceItemRecord[][]) {
    return chunks.map((Items, i) => ({
      ...keys.complianceChunk(scope, record.ResourceType, record.ResourceId, record.ComplianceType, generation, i + 1),
      Type: EntityType.ComplianceChunk,
      ComplianceType: record.ComplianceType,
      Generation: generation,
      Chunk: i + 1,
      Items,
    }));
  }
}

/**
 * A head as the domain knows it. Where its items are (Generation, Chunks) stays on it, unread by
 * the domain: the record comes back to `put` as `previous`, which deletes that generation's chunks.
 */
function record(head: StoredHead): ComplianceRecord {
  return head;
}

/** The records of one resource's partition: each head with its items, from its own generation's chunks. */
function assemble(items: Record<string, unknown>[]): ComplianceRecord[] {
  const chunks = new Map<string, StoredChunk[]>();
  for (const item of items) {
    if (item.Type !== EntityType.ComplianceChunk) continue;
    const chunk = plain<StoredChunk>(item);
    const key = `${chunk.ComplianceType}#${chunk.Generation}`;
    (chunks.get(key) ?? chunks.set(key, []).get(key))?.push(chunk);
  }
  return items
    .filter((item) => item.Type === EntityType.Compliance)
    .map((item) => {
      const head = plain<StoredHead>(item);
      if (!head.Chunks) return record(head);
      const own = (chunks.get(`${head.ComplianceType}#${head.Generation}`) ?? []).sort((a, b) => a.Chunk - b.Chunk);
      return { ...record(head), Items: own.flatMap((chunk) => chunk.Items) };
    });
}

/** Chunks no head names, by compliance type: what uploads interrupted before their head flip left. */
type Leftovers = Map<string, Key[]>;

function unnamedChunks(items: Record<string, unknown>[]): Leftovers {
  const named = new Map<string, unknown>();
  for (const item of items) {
    if (item.Type === EntityType.Compliance) named.set(String(item.ComplianceType), item.Generation);
  }
  const leftovers: Leftovers = new Map();
  for (const item of items) {
    if (item.Type !== EntityType.ComplianceChunk) continue;
    const type = String(item.ComplianceType);
    if (named.get(type) === item.Generation) continue;
    const list = leftovers.get(type) ?? [];
    list.push({ PK: String(item.PK), SK: String(item.SK) });
    leftovers.set(type, list);
  }
  return leftovers;
}

/** Items in runs of at most CHUNK_BYTES of JSON each (one run when they fit the head). */
function split(items: readonly ComplianceItemRecord[]): ComplianceItemRecord[][] {
  const chunks: ComplianceItemRecord[][] = [];
  let current: ComplianceItemRecord[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), "utf8") + 1;
    if (current.length > 0 && bytes + size > CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  chunks.push(current);
  return chunks;
}
