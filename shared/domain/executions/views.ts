/**
 * Executions as the API shows them. A run's status is derived from its counters, so no write is
 * needed when a run ends by itself (its last target reports) or by a rule (MaxErrors, Duration).
 */
import type { AssociationExecution, AssociationExecutionTarget } from "@aws-sdk/client-ssm";
import { errorsStop } from "../../lib/rate-controls.ts";
import { type ExecutionRecord, type ExecutionTargetRecord, FINAL_STATUSES } from "./records.ts";

/** The order statuses are listed in ResourceCountByStatus; others follow alphabetically. */
const STATUS_ORDER = ["Pending", "InProgress", "Success", "Failed", "TimedOut", "Skipped"];

/**
 * AWS's string form of a count map, as published: `"ResourceCountByStatus": "{Success=1}"`
 * (describe-association-executions CLI example; the PowerShell output in the user guide's
 * "Viewing association histories" shows the same `{Success=1}`). Several statuses are joined
 * with commas, `{Success=3,Failed=1}`; zero counts are left out.
 */
export function resourceCountByStatus(counts: Record<string, number>): string {
  const rank = (status: string) => {
    const index = STATUS_ORDER.indexOf(status);
    return index < 0 ? STATUS_ORDER.length : index;
  };
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return `{${entries.map(([status, count]) => `${status}=${count}`).join(",")}}`;
}

/**
 * A run no longer its association's current one (a newer run replaced it, or the association was
 * deleted) that nothing will end: a run its nodes poll for. The agent reports per association, not
 * per run (UpdateInstanceAssociationStatus carries no execution id), so once a newer run is
 * current every report of its nodes lands on that one: this run's unfinished targets will hear
 * nothing more, and read Skipped (the newer run is what their nodes run). So is a run pushed as
 * AWS-RefreshAssociation (its nodes run it through their association processor, which reports
 * so). A run pushed as its own document's command is not ended so: each result names its
 * command's run, which its nodes still run to the end (ARCHITECTURE.md, "Overlapping runs"), and
 * its command's timeouts end what never reports.
 */
export function isSuperseded(execution: ExecutionRecord, currentExecutionId: string | undefined): boolean {
  return (!execution.Pushed || execution.Refresh === true) && execution.ExecutionId !== currentExecutionId;
}

/** Whether no more targets of this run will be started. */
export function isHalted(execution: ExecutionRecord, now: Date): boolean {
  return (
    errorsStop(execution.Errors, execution.MaxErrors) || isExpired(execution, now) || isCalendarClosed(execution, now)
  );
}

/** Its Change Calendars closed: when it was due (no target started), or since it started. */
export function isCalendarClosed(execution: ExecutionRecord, now: Date): boolean {
  return (
    execution.CalendarClosed === true ||
    (execution.CalendarClosesAt !== undefined && now.getTime() >= Date.parse(execution.CalendarClosesAt))
  );
}

/** Duration's cutoff has passed: "no pending executions are started on remaining targets". */
export function isExpired(execution: ExecutionRecord, now: Date): boolean {
  return execution.Deadline !== undefined && now.getTime() >= Date.parse(execution.Deadline);
}

/**
 * The run's counts, status and detailed status now:
 * - targets still waiting in a halted run are Skipped (they will not be started);
 * - Pending until a target starts, then InProgress until no target is running or can start;
 * - then Failed if any target failed or timed out (a MaxErrors stop included), TimedOut if
 *   Duration's cutoff left targets unstarted, Skipped if its Change Calendars did (closed when it
 *   was due, or closed since: "State Manager records history for all skipped intervals"), else
 *   Success.
 * A superseded run (`isSuperseded`) has ended: its targets not yet final read Skipped.
 * AWS publishes only `Success` for executions; the other values are the statuses its nodes use.
 */
export function executionState(execution: ExecutionRecord, now: Date, superseded = false) {
  const counts = { ...execution.Counts };
  const halted = isHalted(execution, now);
  const skipped = superseded ? (counts.Pending ?? 0) + (counts.InProgress ?? 0) : halted ? execution.Waiting : 0;
  if (skipped > 0) {
    if (superseded) {
      delete counts.Pending;
      delete counts.InProgress;
    } else counts.Pending = (counts.Pending ?? 0) - skipped;
    counts.Skipped = (counts.Skipped ?? 0) + skipped;
  }
  const finished = superseded || (execution.Active === 0 && (execution.Waiting === 0 || halted));
  let status: string;
  if (!finished) status = (counts.Pending ?? 0) === execution.TargetCount ? "Pending" : "InProgress";
  else if (execution.Errors > 0) status = "Failed";
  // Left out: waiting when it stopped, or pushed and settled Skipped at its node's poll.
  else if ((counts.Skipped ?? 0) > 0 && isExpired(execution, now)) status = "TimedOut";
  else if (execution.CalendarClosed || (counts.Skipped ?? 0) > 0) status = "Skipped";
  else status = "Success";
  return { counts, status, finished };
}

export function executionView(execution: ExecutionRecord, now: Date, superseded = false): AssociationExecution {
  const state = executionState(execution, now, superseded);
  return {
    AssociationId: execution.AssociationId,
    AssociationVersion: String(execution.AssociationVersion),
    ExecutionId: execution.ExecutionId,
    Status: state.status,
    DetailedStatus: state.status,
    CreatedTime: new Date(execution.CreatedTime),
    LastExecutionDate: execution.LastExecutionDate ? new Date(execution.LastExecutionDate) : undefined,
    ResourceCountByStatus: resourceCountByStatus(state.counts),
  };
}

/**
 * A target as the API shows it. A target not yet started in a halted run is `Skipped`: AWS
 * publishes no status for the targets a MaxErrors stop leaves out ("stops sending requests to run
 * the association on additional targets"); Skipped is the status its nodes already use for a run
 * that did not happen, and the run's own Failed status says why. So is a target not yet final in a
 * superseded run (`isSuperseded`).
 */
export function targetView(
  target: ExecutionTargetRecord,
  execution: ExecutionRecord,
  now: Date,
  superseded = false,
): AssociationExecutionTarget {
  const skipped =
    (superseded && !FINAL_STATUSES.has(target.Status)) ||
    (!target.Released && target.Status === "Pending" && isHalted(execution, now));
  return {
    AssociationId: target.AssociationId,
    AssociationVersion: String(target.AssociationVersion),
    ExecutionId: target.ExecutionId,
    ResourceId: target.ResourceId,
    ResourceType: target.ResourceType,
    Status: skipped ? "Skipped" : target.Status,
    DetailedStatus: skipped ? "Skipped" : target.DetailedStatus,
    LastExecutionDate: target.LastExecutionDate ? new Date(target.LastExecutionDate) : undefined,
    // A pushed run's command holds what each node printed (describe-association-execution-targets.rst).
    ...(execution.Pushed && execution.CommandId
      ? { OutputSource: { OutputSourceId: execution.CommandId, OutputSourceType: "RunCommand" } }
      : {}),
  };
}
