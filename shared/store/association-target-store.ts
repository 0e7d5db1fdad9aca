/**
 * The status each node reported for each association, in the association's partition and listed
 * per node through GSI1. A report writes the node's status and moves the association's rollup in
 * one transaction.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { associationNotFound, associationTooManyUpdates } from "../domain/associations/errors.ts";
import type { AssociationRecord, AssociationTargetRecord } from "../domain/associations/records.ts";
import type { AssociationTargetStore } from "../domain/associations/store.ts";
import { failedCondition, isTransactionConflict } from "./dynamodb.ts";
import { getRecord, gsiAll, type TransactItem, transact } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

export class DynamoAssociationTargetStore implements AssociationTargetStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
      await transact(this.db, items);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0 && !failed.old) throw associationNotFound(association.AssociationId);
      if (failed || isTransactionConflict(error)) throw associationTooManyUpdates();
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
}
