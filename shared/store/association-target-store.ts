/**
 * The status each node reported for each association, in the association's partition and listed
 * per node through GSI1. A report writes the node's status and moves the association's rollup in
 * one transaction.
 */

import { PutCommand, type PutCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { associationNotFound, reportRaced } from "../domain/associations/errors.ts";
import type { AssociationRecord, AssociationTargetRecord } from "../domain/associations/records.ts";
import type { AssociationTargetStore } from "../domain/associations/store.ts";
import type { RunReport } from "../domain/executions/records.ts";
import type { Page } from "../lib/page.ts";
import { headUpdate } from "./association-store.ts";
import { failedCondition, isConditionalCheckFailed, isTransactionConflict } from "./dynamodb.ts";
import { CountMoves, landOnRun, unmovingReportPut } from "./execution-items.ts";
import { gsiAll, gsiPage, TableStore, type TransactItem, transact } from "./items.ts";
import { EntityType, keys } from "./keys.ts";
import { pairUpdate } from "./legacy-copy.ts";

export class DynamoAssociationTargetStore extends TableStore implements AssociationTargetStore {
  getTarget(scope: Scope, associationId: string, instanceId: string): Promise<AssociationTargetRecord | undefined> {
    return this.record<AssociationTargetRecord>(keys.associationTarget(scope, associationId, instanceId));
  }

  /**
   * Records one node's status. With a run (the association's current one), the report writes
   * only what is the node's own, its status here and its target in the run, each on condition
   * that it is as read, and moves the run's counters in the target's own shard
   * (execution-items.ts `reportItems`): the association's rollup, overview and dates are summed
   * from the run's shards when read, so no report writes the association's head and reports of
   * different nodes never refuse each other (issue 26). A legacy association's head keeps its one
   * node's target and rollup (records.ts RunTarget), and a report with no run moves the head's
   * own rollup: both on the revision read, since the head is then written.
   */
  async reportTarget(
    scope: Scope,
    association: AssociationRecord,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
    run?: RunReport,
  ): Promise<void> {
    const targetPut = this.statusPut(scope, previous, next);
    const writesHead = !run || association.InstanceId !== undefined;
    const unmoving = run && previous && !writesHead && unmovingReportPut(this.table, scope, run.previous, run.next);
    if (unmoving) return this.reportUnmoving(targetPut, unmoving);
    const moves = new CountMoves();
    const runItems = run ? landOnRun(this.table, scope, run, moves) : [];
    const items: TransactItem[] = [targetPut, ...runItems];
    if (writesHead) {
      const names: Record<string, string> = { "#overview": "Overview" };
      const values: Record<string, unknown> = {
        ":one": 1,
        ":revision": association.Revision,
        ":date": next.ExecutionDate,
        ":detailed": next.DetailedStatus,
      };
      const sets = ["LastExecutionDate = :date", "#overview.DetailedStatus = :detailed", "Revision = Revision + :one"];
      if (!run) moves.change(previous?.Status, next.Status);
      moves.apply(names, values, sets);
      if (next.Status === "Success") sets.push("LastSuccessfulExecutionDate = :date");
      // A legacy association's head records its node's target as the report leaves it (records.ts
      // RunTarget), and its pair copies the head (legacy-copy.ts).
      if (run && association.InstanceId) {
        sets.push("RunTarget = :runTarget");
        values[":runTarget"] = run.next;
      }
      const change = { sets, names, values };
      items.unshift({ Update: headUpdate(this.table, scope, association.AssociationId, change) });
      items.push(...pairUpdate(this.table, scope, association, change));
    }
    // No check that the association still exists beside the run's items: the run's target is put
    // on condition that it is as read, and a deleted association's runs' targets are deleted with
    // its head, or (a big one, tombstoned) before its own partition, which holds the node's status
    // (association-store.ts `delete`): a report that lands after the delete fails on its target,
    // is retried on fresh reads, and finds no association (AssociationDoesNotExist). The check cost
    // 2 write units a report (issue 30).
    try {
      await transact(this.db, items);
    } catch (error) {
      const failed = failedCondition(error);
      if (writesHead && failed?.index === 0 && !failed.old) throw associationNotFound(association.AssociationId);
      if (failed || isTransactionConflict(error)) throw reportRaced();
      throw error;
    }
  }

  /**
   * A report that moves no count (execution-items.ts `unmovingReportPut`): the node's status and
   * its run's target, each by one conditional put of its own, at once: 3 write units where the
   * transaction took 12 (a transactional write bills twice, its index copy too). Each is
   * conditioned on being as read, so a report that lost a race is retried on fresh reads (a put
   * that landed beside one that did not only carries the report's date and summary: no count
   * depends on it). Neither put can outlive the association: both items exist (they are put on
   * their status as read), and its delete removes them.
   */
  private async reportUnmoving(status: TransactItem, target: NonNullable<TransactItem["Put"]>): Promise<void> {
    const puts = [status.Put, target].map((put) => this.db.send(new PutCommand(put as PutCommandInput)));
    const results = await Promise.allSettled(puts);
    for (const result of results) {
      if (result.status === "fulfilled") continue;
      if (isConditionalCheckFailed(result.reason)) throw reportRaced();
      throw result.reason;
    }
  }

  async recordSkipped(
    scope: Scope,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
  ): Promise<boolean> {
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.association(scope, next.AssociationId),
          ConditionExpression: "attribute_exists(PK)",
        },
      },
      this.statusPut(scope, previous, next),
    ];
    try {
      await transact(this.db, items);
      return true;
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  /** The put of a node's status, on condition that it is as read (or not there yet). */
  private statusPut(
    scope: Scope,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
  ): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.associationTarget(scope, next.AssociationId, next.InstanceId),
          ...keys.nodeAssociationListing(scope, next.InstanceId, next.AssociationId),
          Type: EntityType.AssociationTarget,
          ...next,
        },
        // The status as read, to its date: two reports of the same status never both win.
        ...(previous
          ? {
              ConditionExpression: "#status = :previous AND ExecutionDate = :previousDate",
              ExpressionAttributeNames: { "#status": "Status" },
              ExpressionAttributeValues: { ":previous": previous.Status, ":previousDate": previous.ExecutionDate },
            }
          : { ConditionExpression: "attribute_not_exists(PK)" }),
      },
    };
  }

  /** Every status a node has reported, one item per association, in one query. */
  async targetsOfNode(scope: Scope, instanceId: string): Promise<AssociationTargetRecord[]> {
    return gsiAll<AssociationTargetRecord>(
      this.db,
      this.table,
      keys.nodeAssociationListingPartition(scope, instanceId),
    );
  }

  targetsOfNodePage(
    scope: Scope,
    instanceId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<AssociationTargetRecord>> {
    return gsiPage(this.db, this.table, keys.nodeAssociationListingPartition(scope, instanceId), after, limit);
  }
}
