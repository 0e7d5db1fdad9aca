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
import type { AssociationRecord, AssociationVersionRecord } from "../domain/associations/records.ts";
import type { AssociationStore } from "../domain/associations/store.ts";
import { documentNotFound } from "../domain/documents/errors.ts";
import type { PlannedExecution, RunReport } from "../domain/executions/records.ts";
import type { Page } from "../lib/page.ts";
import { indexedAssociations, indexPlan } from "./association-index.ts";
import { referenceKey, releaseReferenceItems, takeReferenceItems } from "./document-references.ts";
import { conditionalUpdate, failedCondition, isTransactionConflict, retryOnConflict } from "./dynamodb.ts";
import { CountMoves, deleteEarly, landOnRun, runPuts, writeEarly } from "./execution-items.ts";
import {
  batchGet,
  deletePartition,
  gsiPage,
  queryPages,
  releaseSlot,
  TableStore,
  type TransactItem,
  takeSlot,
  transact,
  versionPage,
  writeTags,
} from "./items.ts";
import { EntityType, keys } from "./keys.ts";

const MAX_TRANSACTION_ITEMS = 100;

const tooManyUpdates = associationTooManyUpdates;

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
    ExpressionAttributeNames: change.names,
    ExpressionAttributeValues: change.values,
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
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
    if (association.InstanceId) {
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.legacyAssociation(scope, association.DocumentName, association.InstanceId),
            Type: EntityType.LegacyAssociation,
            AssociationId: association.AssociationId,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      });
    }
    // Its index items (association-index.ts: in the transaction when they fit, before it otherwise).
    const room = MAX_TRANSACTION_ITEMS - items.length - (run ? 1 : 0); // a run's execution item always goes in
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

  async get(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return this.record<AssociationRecord>(keys.association(scope, associationId));
  }

  getVersion(scope: Scope, associationId: string, version: number): Promise<AssociationVersionRecord | undefined> {
    return this.record<AssociationVersionRecord>(keys.associationVersion(scope, associationId, version));
  }

  /** The id of the legacy association of a (document, node) pair. */
  async legacyAssociationId(scope: Scope, documentName: string, instanceId: string): Promise<string | undefined> {
    // Through batchGet, so that the request's other reads started with it share its round trip.
    const [item] = await batchGet(this.db, this.table, [keys.legacyAssociation(scope, documentName, instanceId)]);
    return item?.AssociationId as string | undefined;
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
    // The index follows a change of targets (association-index.ts: keys gained put in the
    // transaction or before it, keys lost deleted in it or after it).
    const room = MAX_TRANSACTION_ITEMS - items.length - (run ? 1 : 0); // a run's execution item always goes in
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

  /** Deletes an association and gives back its slot, its document reference and its unique pair. */
  async delete(scope: Scope, association: AssociationRecord): Promise<void> {
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.table,
          Key: keys.association(scope, association.AssociationId),
          ConditionExpression: "attribute_exists(PK)",
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
    // Its index items: in the transaction when they fit, after it otherwise (association-index.ts).
    const index = indexPlan(
      this.db,
      this.table,
      scope,
      { previous: association },
      MAX_TRANSACTION_ITEMS - items.length,
    );
    items.push(...index.inTransaction);
    // Versions are numbered 1..latest with no gaps, so their keys are known without a query:
    // they go in the same transaction while it has room (100 items), and in batches otherwise.
    const versionsFit = items.length + association.AssociationVersion <= MAX_TRANSACTION_ITEMS;
    if (versionsFit) {
      for (let version = 1; version <= association.AssociationVersion; version++) {
        items.push({
          Delete: { TableName: this.table, Key: keys.associationVersion(scope, association.AssociationId, version) },
        });
      }
    }
    try {
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      if (failedCondition(error)?.index === 0) throw associationNotFound(association.AssociationId);
      throw error;
    }
    await index.after();
    // Each run's targets have a partition of their own; the nodes' statuses and the runs live in
    // the association's partition and go with any versions left.
    if (association.CurrentExecutionId) {
      for (const executionId of await this.executionIds(scope, association.AssociationId)) {
        await deletePartition(this.db, this.table, keys.executionTargetPartition(scope, executionId));
      }
    }
    const hasTargets = Object.values(association.StatusCounts ?? {}).some((count) => count > 0);
    if (!versionsFit || hasTargets || association.CurrentExecutionId)
      await deletePartition(this.db, this.table, keys.association(scope, association.AssociationId).PK);
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

  /** Adds a new run's items to a transaction; returns the targets to write before it, if too many. */
  private withRun(scope: Scope, items: TransactItem[], run: PlannedExecution | undefined) {
    if (!run) return [];
    const { puts, early } = runPuts(this.table, scope, run, MAX_TRANSACTION_ITEMS - items.length);
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
   * Sets the status of a legacy association: one conditional write on the head's `Revision`, so
   * of concurrent changes exactly one wins and none is lost. With a run, the status lands on the
   * node's target in it, rolled up in the same transaction.
   */
  async setStatus(
    scope: Scope,
    association: AssociationRecord,
    status: NonNullable<AssociationRecord["Status"]>,
    now: string,
    run?: RunReport,
  ): Promise<void> {
    const names: Record<string, string> = { "#status": "Status" };
    const values: Record<string, unknown> = {
      ":status": status,
      ":now": now,
      ":one": 1,
      ":revision": association.Revision,
    };
    const sets = ["#status = :status", "LastUpdateAssociationDate = :now", "Revision = Revision + :one"];
    const moves = new CountMoves();
    const runItems = run ? landOnRun(this.table, scope, run, moves) : [];
    moves.apply(names, values, sets);
    const head = headUpdate(this.table, scope, association.AssociationId, { sets, names, values });
    const lost = (old: unknown) => (old ? tooManyUpdates() : associationNotFound(association.AssociationId));
    if (runItems.length === 0) {
      await conditionalUpdate(this.db, head, lost);
      return;
    }
    try {
      await transact(this.db, [{ Update: head }, ...runItems]);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw lost(failed.old);
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /** The associations indexed under a node's lookup keys (association-index.ts); the caller checks each. */
  async indexed(scope: Scope, lookupKeys: readonly string[]): Promise<AssociationRecord[]> {
    return indexedAssociations(this.db, this.table, scope, lookupKeys);
  }

  async putTags(scope: Scope, association: AssociationRecord, tags: Tag[]): Promise<void> {
    const head = { key: keys.association(scope, association.AssociationId), revision: association.Revision };
    await writeTags(this.db, this.table, head, tags, (old) =>
      old ? tooManyUpdates() : associationNotFound(association.AssociationId),
    );
  }

  private headItem(scope: Scope, association: AssociationRecord): Record<string, unknown> {
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
