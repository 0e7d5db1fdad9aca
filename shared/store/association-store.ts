/**
 * Associations, their versions and legacy pairs in the single table (the per-node statuses are
 * in association-target-store.ts). A create is one transaction that, together with the
 * association and its first version:
 * - takes a slot of the account's association limit (a counter with a condition);
 * - takes a reference on the account's own document, on condition that it is still Active
 *   (the deletion guard, shared/store/document-references.ts);
 * - for a legacy association, writes the unique item of its (document, node) pair.
 * A delete gives all of them back in one transaction. The position of a failed condition says
 * which invariant refused the write.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../context.ts";
import {
  associationAlreadyExists,
  associationLimitExceeded,
  associationNotFound,
  associationTooManyUpdates,
} from "../domain/associations/errors.ts";
import {
  type AssociationRecord,
  type AssociationVersionRecord,
  NODE_VIEW_ATTRIBUTES,
  type NodeViewAssociation,
} from "../domain/associations/records.ts";
import { type AssociationStore, associationLookupKeys, type NewAssociation } from "../domain/associations/store.ts";
import { documentNotFound } from "../domain/documents/errors.ts";
import type { PlannedExecution, RunReport, TargetReport } from "../domain/executions/records.ts";
import { AssociationLimitExceeded, SsmError } from "../errors.ts";
import type { Page } from "../lib/page.ts";
import { dropStaleHints, indexedAssociations, indexPlan } from "./association-index.ts";
import { referenceKey, releaseReferenceItems, takeReferenceItems } from "./document-references.ts";
import { failedCondition, isTransactionConflict, retryOnConflict } from "./dynamodb.ts";
import {
  approximateBytes,
  CountMoves,
  deleteEarly,
  landOnRun,
  MAX_TRANSACTION_BYTES,
  roomLeft,
  runItemsInTransaction,
  runPuts,
  runSize,
  writeEarly,
} from "./execution-items.ts";
import {
  batchGet,
  deleteItems,
  deletePartition,
  gsiPage,
  plain,
  queryPages,
  releaseSlot,
  TableStore,
  type TransactItem,
  takeSlot,
  transact,
  versionPage,
  writeTags,
} from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";
import { pairItem, pairKey, pairUpdate } from "./legacy-copy.ts";

const MAX_TRANSACTION_ITEMS = 100;
const unbounded = { items: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY };

const tooManyUpdates = associationTooManyUpdates;

/** What a delete interrupted after its head went leaves behind (keys.associationTombstone). */
type Tombstone = { AssociationId: string; AccountId: string; Region: string };

/**
 * An update of an association's head that lands only on the revision read: `values` carries it
 * as `:revision`, and `sets` bumps it. Returns the item as it was when the condition fails, so
 * the caller can tell a gone association from a concurrent change.
 */
export function headUpdate(
  table: string,
  scope: Scope,
  associationId: string,
  change: { sets: string[]; names: Record<string, string>; values: Record<string, unknown> },
) {
  return {
    TableName: table,
    Key: keys.association(scope, associationId),
    UpdateExpression: `SET ${change.sets.join(", ")}`,
    ConditionExpression: "Revision = :revision",
    ...(Object.keys(change.names).length > 0 ? { ExpressionAttributeNames: change.names } : {}),
    ExpressionAttributeValues: change.values,
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/** An association's head as stored: its keys, its listing, its schedule entry while it has a next run. */
export function associationItem(scope: Scope, association: AssociationRecord): Record<string, unknown> {
  return {
    ...keys.association(scope, association.AssociationId),
    ...keys.associationListing(scope, association.AssociationId),
    // The scheduler's index entry, while there is a next run.
    ...(association.NextRunAt ? keys.scheduleEntry(scope, association.AssociationId, association.NextRunAt) : {}),
    Type: EntityType.Association,
    ...association,
    StatusCounts: association.StatusCounts ?? {},
  };
}

export class DynamoAssociationStore extends TableStore implements AssociationStore {
  async create(
    scope: Scope,
    association: AssociationRecord,
    version: AssociationVersionRecord,
    limit: number,
    run?: PlannedExecution,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, association),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      this.versionPut(scope, version),
      takeSlot(this.table, keys.counter(scope, "Associations"), limit),
    ];
    const reference = takeReferenceItems(this.table, scope, association);
    const documentIndex = items.length;
    items.push(...reference);
    const legacyIndex = association.InstanceId ? items.length : -1;
    const pair = pairKey(scope, association);
    if (pair) {
      // The pair is unique, and a copy of the head (legacy-copy.ts).
      items.push({
        Put: {
          TableName: this.table,
          Item: pairItem(pair, this.headItem(scope, association)),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      });
    }
    // Its index items (association-index.ts: in the transaction when they fit, before it otherwise).
    // A run's execution item (and a pushed run's command head) always goes in.
    const room = MAX_TRANSACTION_ITEMS - items.length - runItemsInTransaction(run);
    const index = indexPlan(this.db, this.table, scope, { next: association }, room);
    items.push(...index.inTransaction);
    // The first run is published with the association (execution-items.ts says how a big fleet's
    // targets stay consistent when they don't fit in the transaction).
    const early = this.withRun(scope, items, run);
    await index.before();
    if (early.length > 0) await writeEarly(this.db, this.table, early);
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      if (early.length > 0) await deleteEarly(this.db, this.table, early);
      await index.undo();
      const failed = failedCondition(error);
      if (failed?.index === 2) throw associationLimitExceeded(limit);
      if (failed && failed.index >= documentIndex && failed.index < documentIndex + reference.length) {
        throw documentNotFound(association.Name);
      }
      if (failed && failed.index === legacyIndex) throw associationAlreadyExists();
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /**
   * CreateAssociationBatch's creates, packed (issue 29, defect 4: one transaction each made a
   * batch near the 2,000-association limit take ~2,000 round trips, past API Gateway's 29 s). A
   * pack holds whole creates, each as `create` writes it, under the 100-item limit: one update of
   * the account's counter for all of them (`Count + n` at most the limit), one reference update
   * per document they name (`+k`, on condition it is Active, with each share's check once), and
   * each create's own items (head, version, legacy pair, index items, its run and targets). A
   * create that does not fit a transaction with another (its run's targets or index items are
   * too many) goes on its own, as `create` writes it. A pack refused as a whole (a limit reached,
   * a document gone, a legacy pair taken, a race) is written again entry by entry, so each entry
   * gets its own answer; after a refusal for the limit, the later entries get it without a call.
   */
  async createMany(scope: Scope, creates: readonly NewAssociation[], limit: number): Promise<(SsmError | undefined)[]> {
    const results: (SsmError | undefined)[] = creates.map(() => undefined);
    let full: SsmError | undefined;
    const oneByOne = async (at: readonly number[]) => {
      for (const i of at) {
        if (full) {
          results[i] = full;
          continue;
        }
        const { association, version, run } = creates[i] as NewAssociation;
        try {
          await this.create(scope, association, version, limit, run);
        } catch (error) {
          if (!(error instanceof SsmError)) throw error;
          if (error instanceof AssociationLimitExceeded) full = error;
          results[i] = error;
        }
      }
    };
    for (const pack of packCreates(scope, creates)) {
      if (full || pack.length === 1 || pack.length > limit) {
        await oneByOne(pack);
        continue;
      }
      const items = this.packedItems(
        scope,
        pack.map((i) => creates[i] as NewAssociation),
        limit,
      );
      try {
        await retryOnConflict(() => transact(this.db, items));
      } catch (error) {
        if (!(failedCondition(error) || isTransactionConflict(error))) throw error;
        await oneByOne(pack);
      }
    }
    return results;
  }

  /** The items of a pack (see createMany): the shared counter and references first, then each create's own. */
  private packedItems(scope: Scope, creates: readonly NewAssociation[], limit: number): TransactItem[] {
    const counter = keys.counter(scope, "Associations");
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: counter,
          UpdateExpression: "SET #count = if_not_exists(#count, :zero) + :n, #type = :type",
          ConditionExpression: "attribute_not_exists(#count) OR #count <= :most",
          ExpressionAttributeNames: { "#count": "Count", "#type": "Type" },
          ExpressionAttributeValues: {
            ":zero": 0,
            ":n": creates.length,
            ":most": limit - creates.length,
            ":type": EntityType.Counter,
          },
        },
      },
    ];
    // One reference item per document (and share check), moved by how many creates name it.
    const references = new Map<string, { items: TransactItem[]; count: number }>();
    for (const { association } of creates) {
      const key = referenceKey(scope, association);
      if (!key) continue;
      const found = references.get(key);
      if (found) found.count++;
      else references.set(key, { items: takeReferenceItems(this.table, scope, association), count: 1 });
    }
    for (const { items: reference, count } of references.values()) {
      const [take, ...checks] = reference as [TransactItem, ...TransactItem[]];
      const update = take.Update as NonNullable<TransactItem["Update"]>;
      items.push(
        { Update: { ...update, ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":delta": count } } },
        ...checks,
      );
    }
    for (const { association, version, run } of creates) {
      items.push(
        ...this.ownItems(scope, association, version),
        ...indexPlan(this.db, this.table, scope, { next: association }, MAX_TRANSACTION_ITEMS).inTransaction,
      );
      // packCreates let in only runs that fit whole.
      if (run) items.push(...runPuts(this.table, scope, run, unbounded).puts);
    }
    return items;
  }

  /** A create's own items: its head, its first version, a legacy association's pair. */
  private ownItems(scope: Scope, association: AssociationRecord, version: AssociationVersionRecord): TransactItem[] {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, association),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      this.versionPut(scope, version),
    ];
    const pair = pairKey(scope, association);
    if (pair) {
      items.push({
        Put: {
          TableName: this.table,
          Item: pairItem(pair, this.headItem(scope, association)),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      });
    }
    return items;
  }

  async get(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return this.record<AssociationRecord>(keys.association(scope, associationId));
  }

  getVersion(scope: Scope, associationId: string, version: number): Promise<AssociationVersionRecord | undefined> {
    return this.record<AssociationVersionRecord>(keys.associationVersion(scope, associationId, version));
  }

  /** The legacy association of a (document, node) pair, as its pair's copy of the head says (legacy-copy.ts). */
  async legacyAssociation(
    scope: Scope,
    documentName: string,
    instanceId: string,
  ): Promise<AssociationRecord | undefined> {
    // Through batchGet, so that the request's other reads started with it share its round trip.
    const [item] = await batchGet(this.db, this.table, [keys.legacyAssociation(scope, documentName, instanceId)]);
    return plain<AssociationRecord>(item);
  }

  /**
   * Writes a new version: the head is replaced on condition that nobody changed it since it was
   * read, and a change of document moves the reference from the old document to the new one.
   */
  async update(
    scope: Scope,
    previous: AssociationRecord,
    next: AssociationRecord,
    version: AssociationVersionRecord,
    run?: PlannedExecution,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, next),
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeValues: { ":revision": previous.Revision },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      this.versionPut(scope, version),
    ];
    const documentIndex = items.length;
    const moved = referenceKey(scope, previous) !== referenceKey(scope, next);
    const reference = moved ? takeReferenceItems(this.table, scope, next) : [];
    items.push(...reference);
    if (moved) items.push(...releaseReferenceItems(this.table, scope, previous));
    // A legacy association's copy of the head (legacy-copy.ts); its document and node never change.
    const pair = pairKey(scope, next);
    if (pair) items.push({ Put: { TableName: this.table, Item: pairItem(pair, this.headItem(scope, next)) } });
    // The index follows a change of targets (association-index.ts: keys gained put in the
    // transaction or before it, keys lost deleted in it or after it).
    // A run's execution item (and a pushed run's command head) always goes in.
    const room = MAX_TRANSACTION_ITEMS - items.length - runItemsInTransaction(run);
    const index = indexPlan(this.db, this.table, scope, { previous, next }, room);
    items.push(...index.inTransaction);
    const early = this.withRun(scope, items, run);
    await index.before();
    if (early.length > 0) await writeEarly(this.db, this.table, early);
    try {
      await transact(this.db, items);
    } catch (error) {
      if (early.length > 0) await deleteEarly(this.db, this.table, early);
      const failed = failedCondition(error);
      if (failed?.index === 0 && !failed.old) throw associationNotFound(previous.AssociationId);
      if (failed && failed.index >= documentIndex && failed.index < documentIndex + reference.length) {
        throw documentNotFound(next.Name);
      }
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
    await index.after();
  }

  /**
   * Deletes an association and gives back its slot, its document reference and its unique pair,
   * crash-safe (issue 15): nothing it owns may outlive it half-deleted.
   * - Without runs or node statuses, its items' keys are known (versions 1..latest): one
   *   transaction, no read.
   * - Otherwise one query per partition it owns (its own; each run's targets) finds its items;
   *   while they fit one transaction (100 items) they go in it, with the head.
   * - A bigger one leaves a tombstone in the same transaction as the head, its slot, reference
   *   and pair; the items go after it, the tombstone last. A crash in between leaves only items
   *   no read reaches (the head is gone) and the tombstone, which the scheduler's next tick
   *   finishes (`finishInterruptedDeletes`).
   * The head is deleted on the revision read, so a status report or a run started between the
   * query and the transaction (a new item the query missed) makes it read again.
   */
  async delete(scope: Scope, association: AssociationRecord): Promise<void> {
    let current: AssociationRecord | undefined = association;
    for (let attempt = 1; current; attempt++) {
      try {
        await this.deleteOnce(scope, current);
        return;
      } catch (error) {
        const failed = failedCondition(error);
        if (failed?.index === 0 && !failed.old) throw associationNotFound(association.AssociationId);
        if (!(failed?.index === 0 || isTransactionConflict(error)) || attempt >= 5) throw error;
      }
      current = await this.get(scope, association.AssociationId);
    }
    throw associationNotFound(association.AssociationId);
  }

  private async deleteOnce(scope: Scope, association: AssociationRecord): Promise<void> {
    const id = association.AssociationId;
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.table,
          Key: keys.association(scope, id),
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeValues: { ":revision": association.Revision },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      releaseSlot(this.table, keys.counter(scope, "Associations")),
    ];
    items.push(...releaseReferenceItems(this.table, scope, association));
    if (association.InstanceId) {
      items.push({
        Delete: {
          TableName: this.table,
          Key: keys.legacyAssociation(scope, association.DocumentName, association.InstanceId),
        },
      });
    }
    // Its index items: in the transaction when they fit (leaving room for a tombstone), after
    // it otherwise (association-index.ts: a late delete of a hint is harmless).
    const index = indexPlan(
      this.db,
      this.table,
      scope,
      { previous: association },
      MAX_TRANSACTION_ITEMS - items.length - 1,
    );
    items.push(...index.inTransaction);
    const hasTargets = Object.values(association.StatusCounts ?? {}).some((count) => count > 0);
    const simple =
      !association.CurrentExecutionId &&
      !hasTargets &&
      items.length + association.AssociationVersion <= MAX_TRANSACTION_ITEMS;
    const owned = simple
      ? Array.from({ length: association.AssociationVersion }, (_, i) => keys.associationVersion(scope, id, i + 1))
      : await this.ownedKeys(scope, association);
    if (items.length + owned.length <= MAX_TRANSACTION_ITEMS) {
      for (const Key of owned) items.push({ Delete: { TableName: this.table, Key } });
      await retryOnConflict(() => transact(this.db, items));
      await index.after();
      return;
    }
    items.push({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.associationTombstone(scope, id),
          ...keys.associationSweepListing(scope, id),
          Type: EntityType.AssociationTombstone,
          AssociationId: id,
          AccountId: scope.accountId,
          Region: scope.region,
        },
      },
    });
    await retryOnConflict(() => transact(this.db, items));
    await index.after();
    await this.finishDelete(scope, id);
  }

  /** The keys of every item an association owns besides its head: its partition, its runs' targets. */
  private async ownedKeys(scope: Scope, association: AssociationRecord): Promise<Key[]> {
    const head = keys.association(scope, association.AssociationId);
    const owned: Key[] = [];
    const runs: string[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": head.PK },
      ProjectionExpression: "PK, SK, ExecutionId, TargetCount",
      ConsistentRead: true,
    })) {
      for (const item of items) {
        if (item.SK === head.SK) continue;
        owned.push({ PK: item.PK as string, SK: item.SK as string });
        // A run without targets has no target partition.
        if (String(item.SK).startsWith(keys.executionSortKey("")) && item.TargetCount !== 0) {
          runs.push(item.ExecutionId as string);
        }
      }
    }
    for (const executionId of runs) {
      for await (const items of queryPages(this.db, {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": keys.executionTargetPartition(scope, executionId) },
        ProjectionExpression: "PK, SK",
        ConsistentRead: true,
      })) {
        owned.push(...items.map((item) => ({ PK: item.PK as string, SK: item.SK as string })));
      }
    }
    return owned;
  }

  /** Deletes what a tombstoned association still owns: its runs' targets, its partition, the tombstone last. */
  async finishDelete(scope: Scope, associationId: string): Promise<void> {
    for (const executionId of await this.executionIds(scope, associationId)) {
      await deletePartition(this.db, this.table, keys.executionTargetPartition(scope, executionId));
    }
    const tombstone = keys.associationTombstone(scope, associationId);
    await deletePartition(this.db, this.table, tombstone.PK, [tombstone.SK]);
    await deleteItems(this.db, this.table, [tombstone]);
  }

  /** The ids of the association's runs that have targets. */
  private async executionIds(scope: Scope, associationId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: {
        ":pk": keys.association(scope, associationId).PK,
        ":prefix": keys.executionSortKey(""),
      },
      ProjectionExpression: "ExecutionId, TargetCount",
      ConsistentRead: true,
    })) {
      // A run without targets has no target partition to delete.
      ids.push(...items.filter((item) => item.TargetCount !== 0).map((item) => item.ExecutionId as string));
    }
    return ids;
  }

  /** Finishes up to `limit` deletes a crash interrupted (the scheduler's tick calls it); how many. */
  async finishInterruptedDeletes(limit: number): Promise<number> {
    const partition = keys.associationSweepPartition();
    const { items } = await gsiPage<Tombstone>(this.db, this.table, partition, undefined, limit);
    for (const tombstone of items) {
      await this.finishDelete({ accountId: tombstone.AccountId, region: tombstone.Region }, tombstone.AssociationId);
    }
    return items.length;
  }

  /** Adds a new run's items to a transaction; returns the targets to write before it, if too many. */
  private withRun(scope: Scope, items: TransactItem[], run: PlannedExecution | undefined) {
    if (!run) return [];
    const { puts, early } = runPuts(this.table, scope, run, roomLeft(items));
    items.push(...puts);
    return early;
  }

  async list(scope: Scope, after: string | undefined, limit: number): Promise<Page<AssociationRecord>> {
    return gsiPage<AssociationRecord>(this.db, this.table, keys.associationListingPartition(scope), after, limit);
  }

  async listVersions(
    scope: Scope,
    associationId: string,
    after: number | undefined,
    limit: number,
  ): Promise<Page<AssociationVersionRecord>> {
    return versionPage<AssociationVersionRecord>(
      this.db,
      this.table,
      (version) => keys.associationVersion(scope, associationId, version),
      { after, limit },
    );
  }

  /**
   * Sets the status of a legacy association: one transaction conditioned on the head's
   * `Revision`, so of concurrent changes exactly one wins and none is lost, with the pair's copy
   * of the head (legacy-copy.ts). With a run, the status lands on the node's target in it, rolled
   * up in the same transaction, and the head records the target as it leaves it (`RunTarget`).
   * A lost race, a target that is not as given, or a run with more than this node waiting in it
   * (never, for a legacy association) is TooManyUpdates.
   *
   * The head and its copy are put whole rather than updated: the revision condition means the
   * head is exactly `association` (every write of a head changes its revision), so the new head
   * is known to the attribute, and a put costs DynamoDB Local much less than an update
   * expression over nested maps (issue 13: writes within 0.8x of a raw transaction).
   */
  async setStatus(
    scope: Scope,
    association: AssociationRecord,
    status: NonNullable<AssociationRecord["Status"]>,
    now: string,
    run?: RunReport | TargetReport,
  ): Promise<void> {
    const moves = new CountMoves();
    const runItems = run ? landOnRun(this.table, scope, run, moves) : [];
    const counts = { ...(association.StatusCounts ?? {}) };
    for (const [name, delta] of Object.entries(moves.moves)) {
      if (delta !== 0) counts[name] = (counts[name] ?? 0) + delta;
    }
    const next: AssociationRecord = {
      ...association,
      Status: status,
      LastUpdateAssociationDate: now,
      Revision: association.Revision + 1,
      StatusCounts: counts,
      ...(run ? { RunTarget: run.next } : {}),
    };
    const item = this.headItem(scope, next);
    const pair = pairKey(scope, association);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: item,
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeValues: { ":revision": association.Revision },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      ...runItems,
      ...(pair ? [{ Put: { TableName: this.table, Item: pairItem(pair, item) } }] : []),
    ];
    try {
      await transact(this.db, items);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw failed.old ? tooManyUpdates() : associationNotFound(association.AssociationId);
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /** The associations indexed under a node's lookup keys (association-index.ts); the caller checks each. */
  async indexed(
    scope: Scope,
    lookupKeys: readonly string[],
    laterKeys?: Promise<readonly string[]>,
  ): Promise<AssociationRecord[]> {
    return indexedAssociations(this.db, this.table, scope, lookupKeys, laterKeys);
  }

  async nodeView(
    scope: Scope,
    lookupKeys: readonly string[],
    laterKeys?: Promise<readonly string[]>,
  ): Promise<NodeViewAssociation[]> {
    return indexedAssociations(this.db, this.table, scope, lookupKeys, laterKeys, NODE_VIEW_ATTRIBUTES);
  }

  /** Stale index entries a node's view found (association-index.ts dropStaleHints). */
  async dropStaleHints(
    scope: Scope,
    stale: { associationId: string; revision: number; lookupKeys: readonly string[] },
  ): Promise<void> {
    await dropStaleHints(this.db, this.table, scope, stale);
  }

  async putTags(scope: Scope, association: AssociationRecord, tags: Tag[]): Promise<void> {
    const lost = (old: unknown) => (old ? tooManyUpdates() : associationNotFound(association.AssociationId));
    if (!association.InstanceId) {
      const head = { key: keys.association(scope, association.AssociationId), revision: association.Revision };
      await writeTags(this.db, this.table, head, tags, lost);
      return;
    }
    // A legacy association's pair copies the head, tags and revision included (legacy-copy.ts).
    const change = {
      sets: ["Tags = :tags", "Revision = Revision + :one"],
      names: {},
      values: { ":tags": tags, ":one": 1, ":revision": association.Revision },
    };
    try {
      await transact(this.db, [
        { Update: headUpdate(this.table, scope, association.AssociationId, change) },
        ...pairUpdate(this.table, scope, association, change),
      ]);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw lost(failed.old);
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  private headItem(scope: Scope, association: AssociationRecord): Record<string, unknown> {
    return associationItem(scope, association);
  }

  private versionPut(scope: Scope, version: AssociationVersionRecord): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.associationVersion(scope, version.AssociationId, version.AssociationVersion),
          Type: EntityType.AssociationVersion,
          ...version,
        },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    };
  }
}

/**
 * Creates grouped into packs of at most 100 transaction items and 4 MB (createMany), in their
 * order: each create counts its own items (head, version, pair, index items, its run whole: a
 * pushed run's command and first-wave messages too) and, the first time a pack names its
 * document, that document's reference items; every pack has the counter. A create whose own items
 * need more than a transaction's room with the shared ones (a big fleet's run, many index keys)
 * is a pack of its own, which `create` writes its way (what does not fit then goes around the
 * transaction).
 */
function packCreates(scope: Scope, creates: readonly NewAssociation[]): number[][] {
  const packs: number[][] = [];
  let pack: number[] = [];
  let used = 1;
  let bytes = 0;
  let documents = new Set<string>();
  const close = () => {
    if (pack.length > 0) packs.push(pack);
    pack = [];
    used = 1;
    bytes = 0;
    documents = new Set();
  };
  creates.forEach(({ association, run }, i) => {
    const runItems = run ? runSize(scope, run) : { items: 0, bytes: 0 };
    const own = 2 + (association.InstanceId ? 1 : 0) + associationLookupKeys(association).length + runItems.items;
    // The head, its version and a legacy pair's copy each carry the definition.
    const ownBytes = 3 * approximateBytes(association) + runItems.bytes;
    const key = referenceKey(scope, association);
    const reference = (first: boolean) => (key && first ? (association.DocumentOwner === "Shared" ? 2 : 1) : 0);
    if (
      used + own + reference(!documents.has(key ?? "")) > MAX_TRANSACTION_ITEMS ||
      bytes + ownBytes > MAX_TRANSACTION_BYTES
    )
      close();
    used += own + reference(!documents.has(key ?? ""));
    bytes += ownBytes;
    pack.push(i);
    if (key) documents.add(key);
    // A create that fills a transaction by itself is written on its own (`create`).
    if (used > MAX_TRANSACTION_ITEMS || bytes > MAX_TRANSACTION_BYTES) close();
  });
  close();
  return packs;
}
