/**
 * When a create or an update of an association starts a run (../executions/), and how the head
 * is stored with it.
 */
import type { ExecutionRecord, ExecutionTargetRecord, PlannedExecution } from "../executions/records.ts";
import { executionState } from "../executions/views.ts";
import type { AssociationRecord } from "./records.ts";

/** The head as it is stored with a new run: the run is current, and its targets all Pending (Skipped: ../executions/planner.ts). */
export function withRun(record: AssociationRecord, run: PlannedExecution | undefined): AssociationRecord {
  if (!run) return record;
  return {
    ...record,
    CurrentExecutionId: run.execution.ExecutionId,
    RunShards: run.execution.Shards,
    StatusCounts: { ...run.execution.Counts },
    // AWS's describe-association of an association bound to a node that has not run it yet.
    Overview: { Status: "Pending", DetailedStatus: "Associated" },
    RunTarget: runTargetOf(record, run),
  };
}

/** A legacy association's node's target in a new run (records.ts `RunTarget`); none for others. */
export function runTargetOf(
  record: Pick<AssociationRecord, "InstanceId">,
  run: PlannedExecution,
): ExecutionTargetRecord | undefined {
  return record.InstanceId ? run.targets.find((target) => target.ResourceId === record.InstanceId) : undefined;
}

export function scheduleChanged(previous: AssociationRecord, next: AssociationRecord): boolean {
  return (
    previous.ScheduleExpression !== next.ScheduleExpression ||
    previous.ScheduleOffset !== next.ScheduleOffset ||
    previous.ApplyOnlyAtCronInterval !== next.ApplyOnlyAtCronInterval
  );
}

/**
 * The head as the API shows it, with its current run's totals folded in (a run summed with its
 * counter shards, execution-store.ts `runs`): the rollup is the run's counts (its waiting targets
 * Skipped once it has stopped, as the run's own view shows them), the detailed status while it
 * runs is its newest report's, and the dates are the newest of the run's and the head's. A legacy
 * association's head keeps its own rollup (its one node's reports write it), and a head whose run
 * is not found, or was written before issue 26, is shown as stored.
 */
export function withRunTotals(
  record: AssociationRecord,
  run: ExecutionRecord | undefined,
  now: Date,
): AssociationRecord {
  if (!run?.Shards || record.InstanceId || run.ExecutionId !== record.CurrentExecutionId) return record;
  const { counts } = executionState(run, now);
  const newest = (a: string | undefined, b: string | undefined) => (a && b ? (a > b ? a : b) : (a ?? b));
  return {
    ...record,
    StatusCounts: counts,
    Overview:
      record.Overview.DetailedStatus === "Creating" || !run.LatestStatus
        ? record.Overview
        : { ...record.Overview, DetailedStatus: run.LatestStatus },
    LastExecutionDate: newest(record.LastExecutionDate, run.LastExecutionDate),
    LastSuccessfulExecutionDate: newest(record.LastSuccessfulExecutionDate, run.LastSuccessDate),
  };
}
