/**
 * Associations in the single table. A create is one transaction that, together with the
 * association and its first version:
 * - takes a slot of the account's association limit (a counter with a condition);
 * - takes a reference on the account's own document, on condition that it is still Active (the
 *   other half of DeleteDocument's `AssociationCount = 0` guard);
 * - for a legacy association, writes the unique item of its (document, node) pair.
 * A delete gives all of them back in one transaction. The position of a failed condition says
 * which invariant refused the write.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type {
  AssociationRecord,
  AssociationTargetRecord,
  AssociationVersionRecord,
} from "../domain/associations/records.ts";
import type { PlannedExecution, RunReport } from "../domain/executions/records.ts";
import {
  AssociationAlreadyExists,
  AssociationDoesNotExist,
  AssociationLimitExceeded,
  InvalidDocument,
  TooManyUpdates,
} from "../errors.ts";
import type { Scope } from "../protocol/request-context.ts";
import {
  failedCondition,
  isConditionalCheckFailed,
  isTransactionConflict,
  oldItemOf,
  retryOnConflict,
} from "./dynamodb.ts";
import { deleteEarly, reportItems, runPuts, writeEarly } from "./execution-items.ts";
import {
  deletePartition,
  getRecord,
  gsiAll,
  gsiPage,
  type Page,
  plain,
  releaseSlot,
  type TransactItem,
  takeSlot,
} from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";

const MAX_VERSION_NUMBER = 999_999;
const MAX_TRANSACTION_ITEMS = 100;

export const associationNotFound = (id: string) => new AssociationDoesNotExist(`Association ${id} does not exist.`);
const tooManyUpdates = () => new TooManyUpdates("Too many updates to the association. Try again later.");

export class DynamoAssociationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
    const documentIndex = association.DocumentOwner === "Self" ? items.length : -1;
    if (documentIndex >= 0) items.push(this.documentReference(scope, association.DocumentName, +1));
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
    // The first run is published with the association (execution-items.ts says how a big fleet's
    // targets stay consistent when they don't fit in the transaction).
    const { puts, early } = run
      ? runPuts(this.table, scope, run, MAX_TRANSACTION_ITEMS - items.length)
      : { puts: [], early: [] };
    items.push(...puts);
    if (early.length > 0) await writeEarly(this.db, this.table, early);
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (error) {
      if (early.length > 0) await deleteEarly(this.db, this.table, early);
      const failed = failedCondition(error);
      if (failed?.index === 2) throw new AssociationLimitExceeded(`You can have at most ${limit} active associations.`);
      if (failed && failed.index === documentIndex) {
        throw new InvalidDocument(`Document with name ${association.DocumentName} does not exist.`);
      }
      if (failed && failed.index === legacyIndex)
        throw new AssociationAlreadyExists("The specified association already exists.");
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  async get(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return getRecord<AssociationRecord>(this.db, this.table, keys.association(scope, associationId));
  }

  async getVersion(
    scope: Scope,
    associationId: string,
    version: number,
  ): Promise<AssociationVersionRecord | undefined> {
    return getRecord<AssociationVersionRecord>(
      this.db,
      this.table,
      keys.associationVersion(scope, associationId, version),
    );
  }

  /** The id of the legacy association of a (document, node) pair. */
  async legacyAssociationId(scope: Scope, documentName: string, instanceId: string): Promise<string | undefined> {
    return (
      await getRecord<{ AssociationId: string }>(
        this.db,
        this.table,
        keys.legacyAssociation(scope, documentName, instanceId),
      )
    )?.AssociationId;
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
    if (previous.DocumentName !== next.DocumentName) {
      if (next.DocumentOwner === "Self") items.push(this.documentReference(scope, next.DocumentName, +1));
      if (previous.DocumentOwner === "Self") items.push(this.documentReference(scope, previous.DocumentName, -1));
    }
    const { puts, early } = run
      ? runPuts(this.table, scope, run, MAX_TRANSACTION_ITEMS - items.length)
      : { puts: [], early: [] };
    items.push(...puts);
    if (early.length > 0) await writeEarly(this.db, this.table, early);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (early.length > 0) await deleteEarly(this.db, this.table, early);
      const failed = failedCondition(error);
      if (failed?.index === 0 && !failed.old) throw associationNotFound(previous.AssociationId);
      if (failed?.index === documentIndex && next.DocumentOwner === "Self") {
        throw new InvalidDocument(`Document with name ${next.DocumentName} does not exist.`);
      }
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
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
    if (association.DocumentOwner === "Self") items.push(this.documentReference(scope, association.DocumentName, -1));
    if (association.InstanceId) {
      items.push({
        Delete: {
          TableName: this.table,
          Key: keys.legacyAssociation(scope, association.DocumentName, association.InstanceId),
        },
      });
    }
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
      await retryOnConflict(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (error) {
      if (failedCondition(error)?.index === 0) throw associationNotFound(association.AssociationId);
      throw error;
    }
    // Each run's targets have a partition of their own; status items of the nodes and the runs
    // live in the association's partition and go with any versions left.
    if (association.CurrentExecutionId) {
      for (const executionId of await this.executionIds(scope, association.AssociationId)) {
        await deletePartition(this.db, this.table, keys.executionTargetPartition(scope, executionId));
      }
    }
    const hasTargets = Object.values(association.StatusCounts ?? {}).some((count) => count > 0);
    if (!versionsFit || hasTargets || association.CurrentExecutionId)
      await deletePartition(this.db, this.table, keys.association(scope, association.AssociationId).PK);
  }

  private async executionIds(scope: Scope, associationId: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
          ExpressionAttributeValues: {
            ":pk": keys.association(scope, associationId).PK,
            ":prefix": keys.executionSortKey(""),
          },
          ProjectionExpression: "ExecutionId, TargetCount",
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      // A run without targets has no target partition to delete.
      ids.push(
        ...(page.Items ?? []).filter((item) => item.TargetCount !== 0).map((item) => item.ExecutionId as string),
      );
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
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
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
        ExpressionAttributeValues: {
          ":pk": keys.association(scope, associationId).PK,
          ":low": keys.associationVersion(scope, associationId, (after ?? 0) + 1).SK,
          ":high": keys.associationVersion(scope, associationId, MAX_VERSION_NUMBER).SK,
        },
        ConsistentRead: true,
        Limit: limit + 1,
      }),
    );
    return {
      items: Items.slice(0, limit).map((item) => plain<AssociationVersionRecord>(item)),
      more: Items.length > limit,
    };
  }

  /**
   * Sets the status of a legacy association: one conditional write on the head's `Revision`, so
   * of concurrent changes exactly one wins and none is lost.
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
    // The legacy report lands on the node's target in the current run, rolled up in the same transaction.
    const moves: Record<string, number> = {};
    const move = (name: string, delta: number) => {
      moves[name] = (moves[name] ?? 0) + delta;
    };
    if (run && run.previous.Status !== run.next.Status) {
      move(run.next.Status, 1);
      move(run.previous.Status, -1);
    }
    const runItems = this.landOnRun(scope, run, move);
    this.moveCounts(moves, names, values, sets);
    const head = {
      TableName: this.table,
      Key: keys.association(scope, association.AssociationId),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "Revision = :revision",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
    };
    try {
      if (runItems.length === 0) await this.db.send(new UpdateCommand(head));
      else await this.db.send(new TransactWriteCommand({ TransactItems: [{ Update: head }, ...runItems] }));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed) {
        if (failed.index === 0 && !failed.old) throw associationNotFound(association.AssociationId);
        throw tooManyUpdates();
      }
      if (isTransactionConflict(error)) throw tooManyUpdates();
      if (!isConditionalCheckFailed(error)) throw error;
      if (!oldItemOf(error)) throw associationNotFound(association.AssociationId);
      throw tooManyUpdates();
    }
  }

  async getTarget(
    scope: Scope,
    associationId: string,
    instanceId: string,
  ): Promise<AssociationTargetRecord | undefined> {
    return getRecord<AssociationTargetRecord>(
      this.db,
      this.table,
      keys.associationTarget(scope, associationId, instanceId),
    );
  }

  /**
   * Records one node's status and moves the association's rollup in the same transaction: the
   * target item only if its status is still the one read, the head only if it is still the
   * revision read (so an update and a report never overwrite each other's counts).
   */
  async reportTarget(
    scope: Scope,
    association: AssociationRecord,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
    run?: RunReport,
  ): Promise<void> {
    const names: Record<string, string> = { "#overview": "Overview" };
    const values: Record<string, unknown> = {
      ":one": 1,
      ":revision": association.Revision,
      ":date": next.ExecutionDate,
      ":detailed": next.DetailedStatus,
    };
    const sets = ["LastExecutionDate = :date", "#overview.DetailedStatus = :detailed", "Revision = Revision + :one"];
    // The rollup counts the current run's targets; without a run, the nodes' own statuses. A
    // report that keeps the status moves no count (and names none: DynamoDB refuses an
    // expression that declares a name or value it does not use).
    const from = run ? run.previous.Status : previous?.Status;
    const to = run ? run.next.Status : next.Status;
    const moves: Record<string, number> = {};
    const move = (status: string, delta: number) => {
      moves[status] = (moves[status] ?? 0) + delta;
    };
    if (from !== to) {
      move(to, 1);
      if (from) move(from, -1);
    }
    const runItems = this.landOnRun(scope, run, move);
    this.moveCounts(moves, names, values, sets);
    if (next.Status === "Success") sets.push("LastSuccessfulExecutionDate = :date");
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.association(scope, association.AssociationId),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.associationTarget(scope, next.AssociationId, next.InstanceId),
            ...keys.nodeAssociationListing(scope, next.InstanceId, next.AssociationId),
            Type: EntityType.AssociationTarget,
            ...next,
          },
          ...(previous
            ? {
                ConditionExpression: "#status = :previous AND ExecutionDate = :previousDate",
                ExpressionAttributeNames: { "#status": "Status" },
                ExpressionAttributeValues: { ":previous": previous.Status, ":previousDate": previous.ExecutionDate },
              }
            : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      },
      ...runItems,
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0 && !failed.old) throw associationNotFound(association.AssociationId);
      if (failed || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /** The run's items of a report, and the rollup moves they imply (a MaxErrors stop skips the waiting). */
  private landOnRun(scope: Scope, run: RunReport | undefined, move: (status: string, delta: number) => void) {
    if (!run) return [];
    const landed = reportItems(this.table, scope, run.execution, run.previous, run.next);
    if (landed.skipped > 0) {
      move("Pending", -landed.skipped);
      move("Skipped", landed.skipped);
    }
    return landed.items;
  }

  /** SET clauses moving the head's StatusCounts; names and values only for the counts that move. */
  private moveCounts(
    moves: Record<string, number>,
    names: Record<string, string>,
    values: Record<string, unknown>,
    sets: string[],
  ): void {
    const changed = Object.entries(moves).filter(([, delta]) => delta !== 0);
    if (changed.length === 0) return;
    names["#counts"] = "StatusCounts";
    values[":zero"] = 0;
    changed.forEach(([status, delta], i) => {
      names[`#s${i}`] = status;
      values[`:m${i}`] = delta;
      sets.push(`#counts.#s${i} = if_not_exists(#counts.#s${i}, :zero) + :m${i}`);
    });
  }

  /** Every status a node has reported, one item per association, in one query. */
  async targetsOfNode(scope: Scope, instanceId: string): Promise<AssociationTargetRecord[]> {
    return gsiAll<AssociationTargetRecord>(
      this.db,
      this.table,
      keys.nodeAssociationListingPartition(scope, instanceId),
    );
  }

  /** Every association of the account and Region (the node-side views filter them by target). */
  async all(scope: Scope): Promise<AssociationRecord[]> {
    const all: AssociationRecord[] = [];
    let after: string | undefined;
    let more = true;
    while (more) {
      const page = await this.list(scope, after, 100);
      all.push(...page.items);
      after = page.items.at(-1)?.AssociationId;
      more = page.more;
    }
    return all;
  }

  async putTags(scope: Scope, association: AssociationRecord, tags: Tag[]): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.association(scope, association.AssociationId),
          UpdateExpression: "SET Tags = :tags, Revision = Revision + :one",
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeValues: { ":tags": tags, ":one": 1, ":revision": association.Revision },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (!oldItemOf(error)) throw associationNotFound(association.AssociationId);
      throw tooManyUpdates();
    }
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

  /** Takes (+1) or gives back (-1) a reference on a document; taking one needs it Active. */
  private documentReference(scope: Scope, documentName: string, delta: 1 | -1): TransactItem {
    const key: Key = keys.document(scope, documentName);
    return {
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: "SET AssociationCount = AssociationCount + :delta",
        ConditionExpression: delta > 0 ? "#status = :active" : "attribute_exists(PK)",
        ...(delta > 0 ? { ExpressionAttributeNames: { "#status": "Status" } } : {}),
        ExpressionAttributeValues: delta > 0 ? { ":delta": delta, ":active": "Active" } : { ":delta": delta },
      },
    };
  }
}
