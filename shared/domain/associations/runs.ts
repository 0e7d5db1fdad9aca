/**
 * When a create or an update of an association starts a run (../executions/), and how the head
 * is stored with it.
 */
import type { ExecutionRecord, ExecutionTargetRecord, PlannedExecution } from "../executions/records.ts";
import { executionState } from "../executions/views.ts";
import { runAfter } from "../scheduler/next-run.ts";
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

/**
 * The most targets a run may have to be written by the request that starts it (issue 30). A run
 * writes its targets and, pushed, an invocation per target (about 2.1 items a target at
 * MaxConcurrency 10%) before its transaction: 1,000 targets are ~2,100 items, 11 rounds of
 * batches (execution-items.ts `writeEarly`), under a second on an idle DynamoDB Local; 10,000
 * were 21,040 items and 852 calls, 7 s idle and past 30 s on a busy server. A bigger run is
 * handed to the scheduler (`deferred`): AWS's CreateAssociation too answers at once and applies
 * the association to its targets afterwards.
 */
export const REQUEST_RUN_TARGETS = 1000;

/**
 * Whether a create's first run is too big for the request (`REQUEST_RUN_TARGETS`): then it is not
 * written with the association, which is written due now instead (`dueNow`: `NextRunAt`, the
 * scheduler's index), so the scheduler's next tick plans and writes it as it writes any due run:
 * the run, its targets and its first wave in one publish (execution-store.ts `start`),
 * conditioned on that due time, so exactly once, and a crash before the tick loses nothing (the
 * association stays due). Until then the association has no current run, and its nodes' polls
 * hold it (agent-runs.ts: not listed). The run after it is due as the create would have
 * scheduled it (next-run.ts `runAfter` from now gives `firstRun`'s answer), except under an
 * at(...) schedule still ahead, whose time NextRunAt must keep: such a run is written by the
 * request as before.
 */
export function tooBigForRequest(record: AssociationRecord, targets: number): boolean {
  const atAhead = record.ScheduleExpression?.startsWith("at(") && record.NextRunAt !== undefined;
  return targets > REQUEST_RUN_TARGETS && !atAhead;
}

/**
 * Whether the run an update or StartAssociationsOnce starts is too big for the request, as a
 * create's first run (`tooBigForRequest`): then the association is written due now instead
 * (`dueNow`) and the scheduler's next tick writes the run, exactly once (conditioned on that due
 * time). The tick records the run after it from the due time (scheduler.ts `runDue`, next-run.ts
 * `runAfter`), so a run is handed over only when that is the run the association has next: no
 * schedule, a cron, an at(...) that has run, a schedule the update changes (then NextRunAt is
 * `firstRun`, the same). A rate whose next run is not a whole interval from now, an at(...) still
 * ahead or a run overdue would lose their time: such a run is written by the request as before.
 */
export function tooBigToStartNow(record: AssociationRecord, targets: number, now: Date): boolean {
  return targets > REQUEST_RUN_TARGETS && runAfter(record, now, now) === record.NextRunAt;
}

/**
 * Whether the head's next run is already due: handed over (`dueNow`, `ExecutionStore.handOver`)
 * or scheduled and not yet ticked. The run a request would start is then that due run, not one
 * more beside it (issue 30: the tick would start a second): a run the request may write
 * (REQUEST_RUN_TARGETS) takes the due entry as the tick would (`afterDueRun`), a bigger one
 * stays handed over (executions.ts `startOrHandOver`, associations.ts `update`).
 */
export const isDue = (record: Pick<AssociationRecord, "NextRunAt">, now: Date): boolean =>
  record.NextRunAt !== undefined && Date.parse(record.NextRunAt) <= now.getTime();

/** The run after a due one a request writes itself: what the tick would record (scheduler.ts `runDue`). */
export const afterDueRun = (record: AssociationRecord, now: Date): string | undefined =>
  runAfter(record, new Date(record.NextRunAt as string), now);

/** The association as written when its first run is handed to the scheduler: due now. */
export const dueNow = (record: AssociationRecord, now: Date): AssociationRecord => ({
  ...record,
  NextRunAt: now.toISOString(),
});

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
  // Due, Pending, Associated and no counts: StartAssociationsOnce handed the next run over
  // (ExecutionStore.handOver); the head shows that as stored until the tick writes the run, not
  // the totals of the run it replaces (a run written by the request showed its own at once).
  const handedOver =
    isDue(record, now) &&
    record.Overview.DetailedStatus === "Associated" &&
    !Object.values(record.StatusCounts ?? {}).some((count) => count > 0);
  if (!run?.Shards || record.InstanceId || handedOver || run.ExecutionId !== record.CurrentExecutionId) return record;
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
