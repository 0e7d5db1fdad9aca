/**
 * Planning a run of an association: its targets resolved against the account's managed nodes
 * now, each Pending and waiting to be told to run, with the association's rate controls resolved
 * against their number.
 */

import { shardCapacity, shardCount, shardOfIndex } from "../../lib/shards.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { durationDeadline } from "../schedules/schedule.ts";
import { newExecutionId } from "./execution-id.ts";
import { concurrencyLimit, errorLimit } from "./rate-controls.ts";
import type { ExecutionTrigger, PlannedExecution } from "./records.ts";

export function planExecution(options: {
  association: AssociationRecord;
  nodeIds: readonly string[];
  now: Date;
  trigger: ExecutionTrigger;
  /** The document version that runs, resolved ("1", not "$DEFAULT"). */
  documentVersion?: string;
}): PlannedExecution {
  const { association, nodeIds, now } = options;
  const executionId = newExecutionId(now);
  const count = nodeIds.length;
  const maxConcurrency = concurrencyLimit(association.MaxConcurrency, count);
  const shards = shardCount(count, maxConcurrency);
  const deadline = durationDeadline(now, {
    duration: association.Duration,
    applyOnlyAtCronInterval: association.ApplyOnlyAtCronInterval,
  });
  return {
    execution: {
      AssociationId: association.AssociationId,
      AssociationVersion: association.AssociationVersion,
      ExecutionId: executionId,
      CreatedTime: now.toISOString(),
      DocumentVersion: options.documentVersion,
      Trigger: options.trigger,
      TargetCount: count,
      Counts: count > 0 ? { Pending: count } : {},
      Waiting: count,
      Active: 0,
      Errors: 0,
      MaxConcurrency: maxConcurrency,
      MaxErrors: errorLimit(association.MaxErrors, count),
      ...(deadline ? { Deadline: deadline.toISOString() } : {}),
      Shards: shards,
    },
    targets: [...nodeIds].sort().map((resourceId, index) => ({
      AssociationId: association.AssociationId,
      AssociationVersion: association.AssociationVersion,
      ExecutionId: executionId,
      ResourceId: resourceId,
      ResourceType: "ManagedInstance" as const,
      Status: "Pending",
      DetailedStatus: "Pending",
      Released: false,
      Shard: shardOfIndex(index, shards),
      Slots: shardCapacity(maxConcurrency, shards, shardOfIndex(index, shards)),
    })),
  };
}
