/**
 * Planning a run of an association: its targets resolved against the account's managed nodes
 * now, each Pending and waiting to be told to run, with the association's rate controls resolved
 * against their number; or, when its Change Calendars are not all OPEN, each Skipped.
 */

import { concurrencyLimit, errorLimit } from "../../lib/rate-controls.ts";
import { shardCapacity, shardCount, shardOfIndex } from "../../lib/shards.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { durationDeadline } from "../schedules/schedule.ts";
import { newExecutionId } from "./execution-id.ts";
import type { ExecutionTrigger, PlannedExecution } from "./records.ts";

/** The state of a run's calendars when it is planned, and when that state next changes. */
export type CalendarGate = { state: "OPEN" | "CLOSED"; next?: Date };

export function planExecution(options: {
  association: AssociationRecord;
  nodeIds: readonly string[];
  now: Date;
  trigger: ExecutionTrigger;
  /** The document version that runs, resolved ("1", not "$DEFAULT"). */
  documentVersion?: string;
  /** How the run is pushed to its nodes (./dispatch.ts); not pushed without one. */
  push?: PushForm;
  /** The association's CalendarNames, combined, at `now` (none without CalendarNames). */
  calendar?: CalendarGate;
}): PlannedExecution {
  const { association, nodeIds, now, calendar } = options;
  // Closed when due: the run is recorded, and every target in it is Skipped.
  const closed = calendar?.state === "CLOSED";
  const executionId = newExecutionId(now);
  // A legacy (InstanceId) association keeps its node's target on its head (RunTarget): it runs
  // at its node's poll, as before issue 28, so no other write has to keep that copy true.
  const pushed = options.push !== undefined && !association.InstanceId;
  const refresh = pushed && options.push === "Refresh" ? { Refresh: true } : {};
  const commandId = newExecutionId(now);
  const count = nodeIds.length;
  const maxConcurrency = concurrencyLimit(association.MaxConcurrency, count);
  const shards = shardCount(count, maxConcurrency);
  const sorted = [...nodeIds].sort();
  const slots = (shard: number) => shardCapacity(maxConcurrency, shards, shard);
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
      Counts: count > 0 ? { [closed ? "Skipped" : "Pending"]: count } : {},
      Waiting: closed ? 0 : count,
      Active: 0,
      Errors: 0,
      MaxConcurrency: maxConcurrency,
      MaxErrors: errorLimit(association.MaxErrors, count),
      ...(deadline ? { Deadline: deadline.toISOString() } : {}),
      ...(closed ? { CalendarClosed: true } : {}),
      ...(!closed && calendar?.next ? { CalendarClosesAt: calendar.next.toISOString() } : {}),
      Shards: shards,
      CommandId: commandId,
      ...(pushed ? { Pushed: true, ...refresh } : {}),
    },
    targets: sorted.map((resourceId, index) => ({
      AssociationId: association.AssociationId,
      AssociationVersion: association.AssociationVersion,
      ExecutionId: executionId,
      ResourceId: resourceId,
      ResourceType: "ManagedInstance" as const,
      Status: closed ? "Skipped" : "Pending",
      DetailedStatus: closed ? "Skipped" : "Pending",
      Released: false,
      Shard: shardOfIndex(index, shards),
      Slots: slots(shardOfIndex(index, shards)),
      ...(pushed ? { Pushed: true, ...refresh, CommandId: commandId, ...chainNext(sorted, index, shards, slots) } : {}),
    })),
  };
}

/**
 * A pushed run's slot chain: shard s holds the targets s, s + S, s + 2S, ... (S shards), of which
 * the first `slots(s)` run at once; the k-th hands its slot to the (k + slots(s))-th when it ends.
 */
function chainNext(
  sorted: readonly string[],
  index: number,
  shards: number,
  slots: (shard: number) => number,
): { Next?: string } {
  const next = index + slots(shardOfIndex(index, shards)) * shards;
  return next < sorted.length ? { Next: sorted[next] } : {};
}

/** Whether a target is in its run's first wave (the first `slots` of its shard). */
export function inFirstWave(target: { Shard?: number; Slots?: number }, index: number, shards: number): boolean {
  return Math.floor(index / shards) < (target.Slots ?? 1);
}

/**
 * How a run is pushed (ARCHITECTURE.md, "How an association run reaches its nodes"): as a Run
 * Command command of the association's own document, or, for a document that cannot run as a
 * command, as a command of AWS-RefreshAssociation naming the association, which makes the agent
 * list its associations and run the one answered Pending through its association processor
 * (agent/association/processor/refreshassociation.go).
 */
export type PushForm = "Command" | "Refresh";

/**
 * `aws:softwareInventory` refuses to run as a command ("can only be invoked via ssm-associate",
 * agent/plugins/inventory/inventory.go): such a document's runs are pushed as a refresh.
 */
export const pushFormOf = (content: string): PushForm =>
  content.includes("aws:softwareInventory") ? "Refresh" : "Command";
