/**
 * Association runs in the single table (keys in keys.ts): publishing a run together with the
 * association's head, reading and listing runs newest first, their targets, and releasing a
 * waiting target under the run's rate controls.
 */
import { BatchGetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { NodeViewAssociation } from "../domain/associations/records.ts";
import { executionTooManyUpdates } from "../domain/executions/errors.ts";
import type { ExecutionRecord, ExecutionTargetRecord, PlannedExecution } from "../domain/executions/records.ts";
import type { CreatedRange, ExecutionStore, HeadChange, Page } from "../domain/executions/store.ts";
import { failedCondition, isTransactionConflict } from "./dynamodb.ts";
import { deleteEarly, MAX_TRANSACTION_ITEMS, runPuts, targetItem, writeEarly } from "./execution-items.ts";
import { batchGet, plain, TableStore, type TransactItem, transact } from "./items.ts";
import { keys } from "./keys.ts";
import { pairUpdate, updateExpression } from "./legacy-copy.ts";

export class DynamoExecutionStore extends TableStore implements ExecutionStore {
  async start(scope: Scope, planned: PlannedExecution, head: HeadChange): Promise<boolean> {
    const { execution } = planned;
    const names: Record<string, string> = { "#overview": "Overview" };
    const values: Record<string, unknown> = {
      ":exec": execution.ExecutionId,
      ":counts": execution.TargetCount > 0 ? { Pending: execution.TargetCount } : {},
      ":overview": { Status: "Pending", DetailedStatus: "Associated" },
      ":one": 1,
      ":version": head.expectedVersion,
    };
    const sets = [
      "CurrentExecutionId = :exec",
      "StatusCounts = :counts",
      "#overview = :overview",
      "Revision = Revision + :one",
    ];
    const removes: string[] = [];
    let condition = "AssociationVersion = :version";
    if (head.expectedNextRunAt !== undefined) {
      condition += " AND NextRunAt = :due";
      values[":due"] = head.expectedNextRunAt;
    }
    if (head.nextRunAt === null) removes.push("NextRunAt", "GSI2PK", "GSI2SK");
    else if (head.nextRunAt !== undefined) {
      const entry = keys.scheduleEntry(scope, head.associationId, head.nextRunAt);
      sets.push("NextRunAt = :next", "GSI2PK = :g2pk", "GSI2SK = :g2sk");
      Object.assign(values, { ":next": head.nextRunAt, ":g2pk": entry.GSI2PK, ":g2sk": entry.GSI2SK });
    }
    // A legacy association: the head records its node's target in the run (records.ts
    // RunTarget), and its pair's copy of the head changes with it (legacy-copy.ts).
    const legacy = head.legacyNode;
    const runTarget = legacy && planned.targets.find((target) => target.ResourceId === legacy.instanceId);
    if (runTarget) {
      sets.push("RunTarget = :runTarget");
      values[":runTarget"] = runTarget;
    } else if (legacy) removes.push("RunTarget");
    const change = { sets, removes, names, values };
    const headWrite: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.association(scope, head.associationId),
        UpdateExpression: updateExpression(change),
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
    const pair = legacy
      ? pairUpdate(this.table, scope, { DocumentName: legacy.documentName, InstanceId: legacy.instanceId }, change)
      : [];
    const { puts, early } = runPuts(this.table, scope, planned, MAX_TRANSACTION_ITEMS - 1 - pair.length);
    if (early.length > 0) await writeEarly(this.db, this.table, early);
    try {
      await transact(this.db, [headWrite, ...puts, ...pair]);
      return true;
    } catch (error) {
      if (early.length > 0) await deleteEarly(this.db, this.table, early);
      if (failedCondition(error)?.index === 0) return false;
      if (isTransactionConflict(error)) throw executionTooManyUpdates();
      throw error;
    }
  }

  get(scope: Scope, associationId: string, executionId: string): Promise<ExecutionRecord | undefined> {
    return this.record<ExecutionRecord>(keys.execution(scope, associationId, executionId));
  }

  async list(
    scope: Scope,
    associationId: string,
    range: CreatedRange,
    before: string | undefined,
    limit: number,
  ): Promise<Page<ExecutionRecord>> {
    // Read backwards (newest first) from the upper bound: the page's cursor, or the range's end.
    const high =
      [before && keys.executionSortKey(before), range.high && keys.executionSortKey(range.high)]
        .filter((key): key is string => Boolean(key))
        .sort()[0] ?? keys.executionSortKey("~");
    const low = keys.executionSortKey(range.low ?? "");
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
        ExpressionAttributeValues: {
          ":pk": keys.association(scope, associationId).PK,
          ":low": low,
          ":high": high,
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: limit + 2,
      }),
    );
    // BETWEEN includes its bounds; the upper one is exclusive here.
    const items = Items.filter((item) => item.SK !== high).map((item) => plain<ExecutionRecord>(item));
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  async listTargets(
    scope: Scope,
    executionId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<ExecutionTargetRecord>> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: after ? "PK = :pk AND SK > :after" : "PK = :pk",
        ExpressionAttributeValues: {
          ":pk": keys.executionTargetPartition(scope, executionId),
          ...(after ? { ":after": keys.executionTargetSortKey(after) } : {}),
        },
        ConsistentRead: true,
        Limit: limit + 1,
      }),
    );
    return {
      items: Items.slice(0, limit).map((item) => plain<ExecutionTargetRecord>(item)),
      more: Items.length > limit,
    };
  }

  async runTarget(
    scope: Scope,
    associationId: string,
    executionId: string,
    resourceId: string,
  ): Promise<{ execution?: ExecutionRecord; target?: ExecutionTargetRecord }> {
    const executionKey = keys.execution(scope, associationId, executionId);
    const targetKey = keys.executionTarget(scope, executionId, resourceId);
    const found: Record<string, unknown>[] = [];
    let request: Record<string, unknown>[] | undefined = [executionKey, targetKey];
    while (request && request.length > 0) {
      const result = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: request, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.table] ?? []));
      request = result.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
    }
    const item = (key: { PK: string; SK: string }) => found.find((i) => i.PK === key.PK && i.SK === key.SK);
    return {
      execution: plain<ExecutionRecord>(item(executionKey)),
      target: plain<ExecutionTargetRecord>(item(targetKey)),
    };
  }

  /**
   * The targets by key, in one BatchGetItem (`batchGet`: 100 keys a request, the requests at
   * once), joined with whatever else this turn of the event loop reads (a node's view reads its
   * documents at the same time).
   */
  async targetsOf(
    scope: Scope,
    wanted: { executionId: string; resourceId: string }[],
  ): Promise<ExecutionTargetRecord[]> {
    const found = await batchGet(
      this.db,
      this.table,
      wanted.map(({ executionId, resourceId }) => keys.executionTarget(scope, executionId, resourceId)),
    );
    return found.map((item) => plain<ExecutionTargetRecord>(item));
  }

  async join(
    scope: Scope,
    association: NodeViewAssociation,
    executionId: string,
    resourceId: string,
    now: Date,
  ): Promise<ExecutionTargetRecord | undefined> {
    const target: ExecutionTargetRecord = {
      AssociationId: association.AssociationId,
      AssociationVersion: association.AssociationVersion,
      ExecutionId: executionId,
      ResourceId: resourceId,
      ResourceType: "ManagedInstance",
      Status: "Pending",
      DetailedStatus: "Pending",
      Released: true,
    };
    const pending = { "#counts": "Counts", "#pending": "Pending" };
    // The rollup counts it; a legacy association's head records it (records.ts RunTarget), and
    // its pair's copy of the head changes with it (legacy-copy.ts).
    const headChange = {
      sets: ["#counts.#pending = if_not_exists(#counts.#pending, :zero) + :one", "Revision = Revision + :one"],
      names: { "#counts": "StatusCounts", "#pending": "Pending" },
      values: { ":one": 1, ":zero": 0 } as Record<string, unknown>,
    };
    if (association.InstanceId === resourceId) {
      headChange.sets.push("RunTarget = :runTarget");
      headChange.values[":runTarget"] = target;
    }
    try {
      await transact(this.db, [
        {
          Put: {
            TableName: this.table,
            Item: targetItem(scope, target),
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.execution(scope, association.AssociationId, executionId),
            UpdateExpression:
              "SET TargetCount = TargetCount + :one, Active = Active + :one, #counts.#pending = if_not_exists(#counts.#pending, :zero) + :one",
            ConditionExpression: "attribute_exists(PK) AND (attribute_not_exists(Deadline) OR Deadline > :now)",
            ExpressionAttributeNames: pending,
            ExpressionAttributeValues: { ":one": 1, ":zero": 0, ":now": now.toISOString() },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.association(scope, association.AssociationId),
            UpdateExpression: updateExpression(headChange),
            ConditionExpression: "CurrentExecutionId = :run",
            ExpressionAttributeNames: headChange.names,
            ExpressionAttributeValues: { ...headChange.values, ":run": executionId },
          },
        },
        ...pairUpdate(this.table, scope, association, headChange),
      ]);
      return target;
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) return undefined;
      throw error;
    }
  }

  async release(
    scope: Scope,
    execution: Pick<ExecutionRecord, "AssociationId" | "ExecutionId">,
    resourceId: string,
    now: Date,
  ): Promise<boolean> {
    try {
      await transact(this.db, [
        {
          Update: {
            TableName: this.table,
            Key: keys.execution(scope, execution.AssociationId, execution.ExecutionId),
            UpdateExpression: "SET Waiting = Waiting - :one, Active = Active + :one",
            // MaxConcurrency, MaxErrors and Duration, held by the run's own counters.
            ConditionExpression:
              "Active < MaxConcurrency AND Errors <= MaxErrors AND Waiting > :zero AND (attribute_not_exists(Deadline) OR Deadline > :now)",
            ExpressionAttributeValues: { ":one": 1, ":zero": 0, ":now": now.toISOString() },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.executionTarget(scope, execution.ExecutionId, resourceId),
            UpdateExpression: "SET Released = :true",
            ConditionExpression: "Released = :false AND #status = :pending",
            ExpressionAttributeNames: { "#status": "Status" },
            ExpressionAttributeValues: { ":true": true, ":false": false, ":pending": "Pending" },
          },
        },
      ]);
      return true;
    } catch (error) {
      // Held back by a rate control, or lost a race with another release or a report: the node
      // asks again on its next poll.
      if (failedCondition(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }
}
