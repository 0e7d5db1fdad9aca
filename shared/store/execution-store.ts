/**
 * Association runs in the single table (keys in keys.ts): publishing a run together with the
 * association's head, reading and listing runs newest first, their targets, and releasing a
 * waiting target under the run's rate controls.
 */
import { BatchGetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { NodeViewAssociation } from "../domain/associations/records.ts";
import { executionTooManyUpdates } from "../domain/executions/errors.ts";
import type { ExecutionRecord, ExecutionTargetRecord, PlannedExecution } from "../domain/executions/records.ts";
import type {
  ClaimResult,
  CreatedRange,
  ExecutionStore,
  HeadChange,
  Page,
  ReleaseResult,
} from "../domain/executions/store.ts";
import { shardOfId } from "./counter-shards.ts";
import {
  cancelledItem,
  failedCondition,
  isConditionalCheckFailed,
  isTransactionConflict,
  retryOnConflict,
} from "./dynamodb.ts";
import {
  deleteEarly,
  joinMove,
  releaseMove,
  reportItems,
  roomLeft,
  runPuts,
  shardKeys,
  targetItem,
  withShards,
  writeEarly,
} from "./execution-items.ts";
import { batchGet, batchGetById, keyId, plain, TableStore, type TransactItem, transact } from "./items.ts";
import { keys } from "./keys.ts";
import { pairUpdate, updateExpression } from "./legacy-copy.ts";

export class DynamoExecutionStore extends TableStore implements ExecutionStore {
  async start(scope: Scope, planned: PlannedExecution, head: HeadChange): Promise<boolean> {
    const { execution } = planned;
    const names: Record<string, string> = { "#overview": "Overview" };
    const values: Record<string, unknown> = {
      ":exec": execution.ExecutionId,
      ":counts": execution.Counts,
      ":overview": { Status: "Pending", DetailedStatus: "Associated" },
      ":one": 1,
      ":version": head.expectedVersion,
    };
    values[":shards"] = execution.Shards ?? 1;
    const sets = [
      "CurrentExecutionId = :exec",
      "RunShards = :shards",
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
    // The run it replaces leaves its dates on the head (its shards are no longer read for them).
    setLastDates(head.lastDates, sets, values);
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
    const { puts, early } = runPuts(this.table, scope, planned, roomLeft([headWrite, ...pair]));
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

  async handOver(
    scope: Scope,
    head: Pick<HeadChange, "associationId" | "expectedVersion" | "lastDates" | "legacyNode"> & {
      expectedNextRunAt?: string;
      dueAt: string;
    },
  ): Promise<boolean> {
    const entry = keys.scheduleEntry(scope, head.associationId, head.dueAt);
    const names = { "#overview": "Overview" };
    const values: Record<string, unknown> = {
      ":version": head.expectedVersion,
      ":due": head.dueAt,
      ":g2pk": entry.GSI2PK,
      ":g2sk": entry.GSI2SK,
      ":overview": { Status: "Pending", DetailedStatus: "Associated" },
      ":noCounts": {},
      ":one": 1,
    };
    // The counts emptied, not removed: a legacy node's report on the run still current adds to them.
    const sets = ["NextRunAt = :due", "GSI2PK = :g2pk", "GSI2SK = :g2sk", "#overview = :overview"];
    sets.push("StatusCounts = :noCounts");
    sets.push("Revision = Revision + :one");
    setLastDates(head.lastDates, sets, values);
    if (head.expectedNextRunAt !== undefined) values[":next"] = head.expectedNextRunAt;
    const change = { sets, names, values };
    const update = {
      TableName: this.table,
      Key: keys.association(scope, head.associationId),
      UpdateExpression: updateExpression(change),
      ConditionExpression: `AssociationVersion = :version AND ${
        head.expectedNextRunAt === undefined ? "attribute_not_exists(NextRunAt)" : "NextRunAt = :next"
      }`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    // A legacy association's pair copies every change of its head, in the same transaction (legacy-copy.ts).
    const legacy = head.legacyNode;
    const pair = legacy
      ? pairUpdate(this.table, scope, { DocumentName: legacy.documentName, InstanceId: legacy.instanceId }, change)
      : [];
    try {
      if (pair.length > 0) await transact(this.db, [{ Update: update }, ...pair]);
      else await this.db.send(new UpdateCommand(update));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error) || failedCondition(error)?.index === 0) return false;
      if (isTransactionConflict(error)) throw executionTooManyUpdates();
      throw error;
    }
  }

  /** A run summed with its shards: its item and its shards read at once (the shards by query). */
  async get(scope: Scope, associationId: string, executionId: string): Promise<ExecutionRecord | undefined> {
    const [execution, shards] = await Promise.all([
      this.record<ExecutionRecord>(keys.execution(scope, associationId, executionId)),
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND SK < :target",
          ExpressionAttributeValues: {
            ":pk": keys.executionTargetPartition(scope, executionId),
            ":target": keys.executionTargetPrefix(),
          },
          ConsistentRead: true,
        }),
      ),
    ]);
    return execution && withShards(execution, shards.Items ?? []);
  }

  /**
   * Runs by their ids and shard counts (an association head names its current run and its
   * shards), each summed with its shards: every item in one BatchGetItem, joined with whatever
   * else this turn of the event loop reads.
   */
  async runs(
    scope: Scope,
    wanted: readonly { associationId: string; executionId: string; shards?: number }[],
  ): Promise<Map<string, ExecutionRecord>> {
    const found = await batchGetById(
      this.db,
      this.table,
      wanted.flatMap(({ associationId, executionId, shards }) => [
        keys.execution(scope, associationId, executionId),
        ...shardKeys(scope, executionId, shards ?? 0),
      ]),
    );
    const runs = new Map<string, ExecutionRecord>();
    for (const { associationId, executionId, shards } of wanted) {
      const item = found.get(keyId(keys.execution(scope, associationId, executionId)));
      if (!item) continue;
      const shardItems = shardKeys(scope, executionId, shards ?? 0)
        .map((key) => found.get(keyId(key)))
        .filter((shard): shard is Record<string, unknown> => shard !== undefined);
      runs.set(executionId, withShards(plain<ExecutionRecord>(item), shardItems));
    }
    return runs;
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
    const page = items.slice(0, limit);
    const summed = await this.runs(
      scope,
      page.map((run) => ({ associationId, executionId: run.ExecutionId, shards: run.Shards })),
    );
    return { items: page.map((run) => summed.get(run.ExecutionId) ?? run), more: items.length > limit };
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
        // The run's shards share the partition and sort before its targets.
        KeyConditionExpression: after ? "PK = :pk AND SK > :after" : "PK = :pk AND begins_with(SK, :target)",
        ExpressionAttributeValues: {
          ":pk": keys.executionTargetPartition(scope, executionId),
          ...(after ? { ":after": keys.executionTargetSortKey(after) } : { ":target": keys.executionTargetPrefix() }),
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
    const shards = association.RunShards;
    const target: ExecutionTargetRecord = {
      AssociationId: association.AssociationId,
      AssociationVersion: association.AssociationVersion,
      ExecutionId: executionId,
      ResourceId: resourceId,
      ResourceType: "ManagedInstance",
      Status: "Pending",
      DetailedStatus: "Pending",
      Released: true,
      ReleasedAt: now.toISOString(),
      ...(shards ? { Shard: shardOfId(resourceId, shards) } : {}),
    };
    const targetPut: TransactItem = {
      Put: { TableName: this.table, Item: targetItem(scope, target), ConditionExpression: "attribute_not_exists(PK)" },
    };
    const runKey = keys.execution(scope, association.AssociationId, executionId);
    const notExpired = "attribute_exists(PK) AND (attribute_not_exists(Deadline) OR Deadline > :now)";
    const items: TransactItem[] = [targetPut];
    if (shards) {
      // The run is counted in the node's shard; the run's item and the head are only checked.
      items.push(
        { Update: joinMove(scope, this.table, target) },
        {
          ConditionCheck: {
            TableName: this.table,
            Key: runKey,
            ConditionExpression: notExpired,
            ExpressionAttributeValues: { ":now": now.toISOString() },
          },
        },
      );
    } else {
      items.push({
        Update: {
          TableName: this.table,
          Key: runKey,
          UpdateExpression:
            "SET TargetCount = TargetCount + :one, Active = Active + :one, #counts.#pending = if_not_exists(#counts.#pending, :zero) + :one",
          ConditionExpression: notExpired,
          ExpressionAttributeNames: { "#counts": "Counts", "#pending": "Pending" },
          ExpressionAttributeValues: { ":one": 1, ":zero": 0, ":now": now.toISOString() },
        },
      });
    }
    // A legacy association's head records its node's target and rollup (records.ts RunTarget),
    // and its pair's copy of the head changes with it (legacy-copy.ts); so does the rollup of a
    // run written before issue 26. Any other head is only checked: the run is still its current one.
    if (association.InstanceId === resourceId || !shards) {
      const headChange = {
        sets: ["#counts.#pending = if_not_exists(#counts.#pending, :zero) + :one", "Revision = Revision + :one"],
        names: { "#counts": "StatusCounts", "#pending": "Pending" },
        values: { ":one": 1, ":zero": 0 } as Record<string, unknown>,
      };
      if (association.InstanceId === resourceId) {
        headChange.sets.push("RunTarget = :runTarget");
        headChange.values[":runTarget"] = target;
      }
      items.push(
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
      );
    } else {
      items.push({
        ConditionCheck: {
          TableName: this.table,
          Key: keys.association(scope, association.AssociationId),
          ConditionExpression: "CurrentExecutionId = :run",
          ExpressionAttributeValues: { ":run": executionId },
        },
      });
    }
    try {
      await retryOnConflict(() => transact(this.db, items));
      return target;
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) return undefined;
      throw error;
    }
  }

  /**
   * The poll path takes a pushed target over (executions/agent-runs.ts), in one transaction: the
   * run still allowed to start targets (not stopped on MaxErrors, not past Duration's cutoff nor
   * its calendars' closing: the check every release makes); its message off the node's queue only
   * if no poll of the channel ever got it (`Deliveries = 0`, the item GetMessages' claim conditions
   * on, so one of the two wins) and it is not past its DeliverBy; and the target marked `Polled`,
   * still released and waiting. The message must have waited `waitedMs`
   * (agent-runs.ts POLL_FALLBACK_AFTER_MS). "stopped" when the run's own check failed and the
   * channel never handed the message out: the node's turn will not come.
   */
  async claimPolled(
    scope: Scope,
    target: ExecutionTargetRecord,
    messageId: string,
    now: Date,
    waitedMs: number,
  ): Promise<ClaimResult> {
    const at = now.getTime();
    try {
      await transact(this.db, [
        this.stillAllowed(scope, target, now),
        {
          Delete: {
            TableName: this.table,
            Key: keys.queuedMessage(scope, target.ResourceId, messageId),
            ConditionExpression:
              "Deliveries = :zero AND VisibleAt <= :sentBy AND (attribute_not_exists(DeliverBy) OR DeliverBy > :now)",
            ExpressionAttributeValues: { ":zero": 0, ":sentBy": at - waitedMs, ":now": at },
            // Which of the message's conditions failed, as the transaction saw it.
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.executionTarget(scope, target.ExecutionId, target.ResourceId),
            // Told to run now, by this path: a quiet run settles it from then on (executions.ts).
            UpdateExpression: "SET Polled = :true, ReleasedAt = :releasedAt",
            ConditionExpression: "Released = :true AND #status = :pending",
            ExpressionAttributeNames: { "#status": "Status" },
            ExpressionAttributeValues: { ":true": true, ":pending": "Pending", ":releasedAt": now.toISOString() },
          },
        },
      ]);
      return "claimed";
    } catch (error) {
      const failed = failedCondition(error);
      // The message as the transaction saw it: gone once the agent replied to it (messages.ts).
      const message = failed ? cancelledItem(error, 1) : undefined;
      const delivered = Number(message?.Deliveries ?? 0) > 0;
      if (failed?.index === 0) {
        // A message the channel handed out may be running on the node: its report decides.
        if (delivered) return "delivered";
        return (await this.skipPushed(scope, target, messageId)) ? "stopped" : "held";
      }
      // Handed out, or gone: the agent replied to it (which takes it off the queue, messages.ts)
      // or it was taken back at a stop (whose target is settled Skipped).
      if (failed?.index === 1 && (delivered || !message)) return "delivered";
      if (failed || isTransactionConflict(error)) return "held";
      throw error;
    }
  }

  /**
   * A released pushed target of a stopped run whose node never took its message: settled Skipped
   * (its own target and its shard's counters, as its report would: the run's views then count it
   * Skipped, and the run ends), its message taken off the queue on the same condition the
   * channel's claim makes (never handed out), so exactly one of the two happens. A stopped run
   * never starts again, so the stop need not be checked twice.
   */
  private async skipPushed(scope: Scope, target: ExecutionTargetRecord, messageId: string): Promise<boolean> {
    const skipped: ExecutionTargetRecord = { ...target, Status: "Skipped", DetailedStatus: "Skipped" };
    try {
      await transact(this.db, [
        {
          Delete: {
            TableName: this.table,
            Key: keys.queuedMessage(scope, target.ResourceId, messageId),
            ConditionExpression: "attribute_not_exists(Deliveries) OR Deliveries = :zero",
            ExpressionAttributeValues: { ":zero": 0 },
          },
        },
        ...reportItems(this.table, scope, undefined, target, skipped),
      ]);
      return true;
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  /** The check that the target's run may still start targets now (MaxErrors, Duration, calendars). */
  private stillAllowed(scope: Scope, target: ExecutionTargetRecord, now: Date) {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: keys.execution(scope, target.AssociationId, target.ExecutionId),
        ConditionExpression: STILL_ALLOWED,
        ExpressionAttributeValues: { ":now": now.toISOString() },
      },
    };
  }

  /**
   * Whether a run has stopped starting targets (MaxErrors, Duration's cutoff, its calendars'
   * closing), by one condition on the run's own item: a pushed target its chain has not released
   * will then never be. A stopped run never starts again (Errors only grow, the times are fixed).
   */
  async stopped(scope: Scope, target: ExecutionTargetRecord, now: Date): Promise<boolean> {
    try {
      await transact(this.db, [this.stillAllowed(scope, target, now)]);
      return false;
    } catch (error) {
      if (failedCondition(error)) return true;
      if (isTransactionConflict(error)) return false;
      throw error;
    }
  }

  /**
   * A target that will hear nothing more settled to a final status (executions.ts `settleQuiet`),
   * in the transaction its report would make (execution-items.ts `reportItems`): the target on
   * condition that it is still as read, its shard's counts moved, an error added to the run's own
   * item. So the first final status wins: a report that landed first fails this condition (false),
   * and a report after it finds the target `Settled` and leaves it (executions.ts `runReport`).
   */
  async settle(scope: Scope, target: ExecutionTargetRecord, status: string, now: Date): Promise<boolean> {
    const next: ExecutionTargetRecord = {
      ...target,
      Status: status,
      DetailedStatus: status,
      LastExecutionDate: now.toISOString(),
      Settled: true,
    };
    try {
      await retryOnConflict(() => transact(this.db, reportItems(this.table, scope, undefined, target, next)));
      return true;
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  /**
   * A waiting target told to run, in one transaction: the target (still waiting), a slot of its
   * shard's share of MaxConcurrency (counter-shards.ts), and a check on the run's own item that
   * it has not stopped (Errors <= MaxErrors, where every error report adds its error) and is not
   * past Duration's cutoff nor the time its Change Calendars close. No count is read to decide it, and no other target's write is needed:
   * exactly MaxConcurrency run at most, and none starts once the run has stopped.
   */
  async release(scope: Scope, target: ExecutionTargetRecord, now: Date): Promise<ReleaseResult> {
    const runKey = keys.execution(scope, target.AssociationId, target.ExecutionId);
    const stillAllowed = STILL_ALLOWED;
    const run: TransactItem =
      target.Shard === undefined
        ? {
            Update: {
              TableName: this.table,
              Key: runKey,
              UpdateExpression: "SET Waiting = Waiting - :one, Active = Active + :one",
              // A run written before issue 26 holds MaxConcurrency by its own counters.
              ConditionExpression: `Active < MaxConcurrency AND Waiting > :zero AND ${stillAllowed}`,
              ExpressionAttributeValues: { ":one": 1, ":zero": 0, ":now": now.toISOString() },
            },
          }
        : {
            ConditionCheck: {
              TableName: this.table,
              Key: runKey,
              ConditionExpression: stillAllowed,
              ExpressionAttributeValues: { ":now": now.toISOString() },
            },
          };
    const items: TransactItem[] = [
      run,
      {
        Update: {
          TableName: this.table,
          Key: keys.executionTarget(scope, target.ExecutionId, target.ResourceId),
          UpdateExpression: "SET Released = :true, ReleasedAt = :releasedAt",
          ConditionExpression: "Released = :false AND #status = :pending",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: {
            ":true": true,
            ":false": false,
            ":pending": "Pending",
            ":releasedAt": now.toISOString(),
          },
        },
      },
    ];
    if (target.Shard !== undefined) items.push({ Update: releaseMove(scope, this.table, target, target.Slots ?? 1) });
    try {
      // Releases check the run's item together: on real DynamoDB two at once may conflict, and
      // the loser is tried again here rather than held until the node's next poll.
      await retryOnConflict(() => transact(this.db, items));
      return "released";
    } catch (error) {
      const failed = failedCondition(error);
      // The run's own check failed: it starts no more targets (a run written before issue 26
      // checks its rate controls in the same condition, so it is only held).
      if (failed?.index === 0 && target.Shard !== undefined) return "stopped";
      // Held back by a rate control, or lost a race with another release or a report: the node
      // asks again on its next poll.
      if (failed || isTransactionConflict(error)) return "held";
      throw error;
    }
  }
}

/** A run still starts targets: not stopped on MaxErrors, not past Duration's cutoff nor its calendars' closing. */
const STILL_ALLOWED =
  "Errors <= MaxErrors AND (attribute_not_exists(Deadline) OR Deadline > :now) AND (attribute_not_exists(CalendarClosesAt) OR CalendarClosesAt > :now)";

/** The replaced run's dates, left on the association's head by an update (`sets`, `values` grow). */
function setLastDates(
  lastDates: { execution?: string; success?: string } | undefined,
  sets: string[],
  values: Record<string, unknown>,
): void {
  if (lastDates?.execution) {
    sets.push("LastExecutionDate = :lastExecution");
    values[":lastExecution"] = lastDates.execution;
  }
  if (lastDates?.success) {
    sets.push("LastSuccessfulExecutionDate = :lastSuccess");
    values[":lastSuccess"] = lastDates.success;
  }
}
