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
import type { Scope } from "../context.ts";
import {
  associationAlreadyExists,
  associationLimitExceeded,
  associationNotFound,
  associationTooManyUpdates,
} from "../domain/associations/errors.ts";
import type {
  AssociationRecord,
  AssociationTargetRecord,
  AssociationVersionRecord,
} from "../domain/associations/records.ts";
import type { AssociationStore, AssociationTargetStore } from "../domain/associations/store.ts";
import { documentNotFound } from "../domain/documents/errors.ts";
import type { Page } from "../lib/page.ts";
import {
  failedCondition,
  isConditionalCheckFailed,
  isTransactionConflict,
  oldItemOf,
  retryOnConflict,
} from "./dynamodb.ts";
import {
  deletePartition,
  getRecord,
  gsiAll,
  gsiPage,
  plain,
  releaseSlot,
  type TransactItem,
  takeSlot,
} from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";

const MAX_VERSION_NUMBER = 999_999;
const MAX_TRANSACTION_ITEMS = 100;

const tooManyUpdates = associationTooManyUpdates;

export class DynamoAssociationStore implements AssociationStore, AssociationTargetStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(
    scope: Scope,
    association: AssociationRecord,
    version: AssociationVersionRecord,
    limit: number,
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
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 2) throw associationLimitExceeded(limit);
      if (failed && failed.index === documentIndex) throw documentNotFound(association.DocumentName);
      if (failed && failed.index === legacyIndex) throw associationAlreadyExists();
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
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0 && !failed.old) throw associationNotFound(previous.AssociationId);
      if (failed?.index === documentIndex && next.DocumentOwner === "Self") throw documentNotFound(next.DocumentName);
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
    // Status items of the targets live in the same partition; they go with any versions left.
    const hasTargets = Object.values(association.StatusCounts ?? {}).some((count) => count > 0);
    if (!versionsFit || hasTargets)
      await deletePartition(this.db, this.table, keys.association(scope, association.AssociationId).PK);
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
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.association(scope, association.AssociationId),
          UpdateExpression: "SET #status = :status, LastUpdateAssociationDate = :now, Revision = Revision + :one",
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: { ":status": status, ":now": now, ":one": 1, ":revision": association.Revision },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
    } catch (error) {
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
  ): Promise<void> {
    const names: Record<string, string> = { "#counts": "StatusCounts", "#new": next.Status, "#overview": "Overview" };
    const values: Record<string, unknown> = {
      ":one": 1,
      ":zero": 0,
      ":revision": association.Revision,
      ":date": next.ExecutionDate,
      ":detailed": next.DetailedStatus,
    };
    const sets = ["LastExecutionDate = :date", "#overview.DetailedStatus = :detailed", "Revision = Revision + :one"];
    if (previous?.Status !== next.Status) {
      sets.push("#counts.#new = if_not_exists(#counts.#new, :zero) + :one");
      if (previous) {
        names["#old"] = previous.Status;
        sets.push("#counts.#old = #counts.#old - :one");
      }
    }
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
                ConditionExpression: "#status = :previous",
                ExpressionAttributeNames: { "#status": "Status" },
                ExpressionAttributeValues: { ":previous": previous.Status },
              }
            : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      },
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
