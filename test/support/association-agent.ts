/**
 * The SSM Agent's association scheduler, ported line for line from its source (aws/amazon-ssm-agent
 * at 1c217c89, agent/association/): what it decides from each ListInstanceAssociations answer,
 * when it runs an association, and what it reports. Tests drive it with a clock of their own (the
 * agent's `time.Now()`), so a decision five minutes or two hours on is replayed without waiting.
 *
 * - model/model.go: `IsRunOnceAssociation`, `RunNow`, `SetNextScheduledDate`;
 * - schedulemanager/schedulemanager.go: `Refresh` (the answer replaces the whole list),
 *   `LoadNextScheduledAssociation`, `LoadNextScheduledDate`, `UpdateNextScheduledDate`,
 *   `UpdateAssociationStatus`, `IsAssociationInProgress`;
 * - processor/processor.go: `ProcessAssociation` (the poll), `runScheduledAssociation` (with the
 *   StuckAtInProgress check, `isAssociationTimedOut`, `documentLevelTimeOutDurationHour = 2`),
 *   `listenToResponses` (the end of a run: its report, `UpdateNextScheduledDate`, the next signal);
 * - processor/refreshassociation.go: `refreshAssociation`, what an `aws:refreshAssociation` step
 *   makes the agent do (list, report Pending for the named ones not InProgress nor Pending,
 *   Refresh, ExecuteAssociation), and the step's output;
 * - rateexpr/rateexpr.go: `rate(N minute|minutes|hour|hours|day|days)`, `Next = from + N·unit`;
 * - schedulemanager/signal/singal.go: what calls `runScheduledAssociation` (a signal after a poll,
 *   a refresh, the end of a run; the wait timer at the next scheduled date; a health ticker every
 *   300 s): `tick` is one such signal.
 * - service/service.go `UpdateInstanceAssociationStatus`: every report first sets the local
 *   DetailedStatus (`schedulemanager.UpdateAssociationStatus`), then is sent.
 *
 * Not ported: fetching each document (`LoadAssociationDetail`, GetDocument; the tests' documents
 * are AWS-owned and always there) and cron expressions (gorhill/cronexpr: the service never hands
 * a schedule to the agent, docs/runs.md).
 */
import { AGENT_FAILED_SUMMARY, AGENT_SUMMARY, type ManagedNode } from "./managed-node.ts";

/** processor.go `documentLevelTimeOutDurationHour`. */
export const STUCK_AFTER_MS = 2 * 3600 * 1000;
/** signal/singal.go `defaultScheduleHealthTimerDurationSeconds`. */
export const HEALTH_TICK_MS = 300 * 1000;

/** ssm.InstanceAssociationSummary, as the agent reads the answer (dates parsed from epoch seconds). */
export type AssociationSummary = {
  AssociationId: string;
  Name: string;
  InstanceId: string;
  DetailedStatus?: string;
  ScheduleExpression?: string;
  LastExecutionDate?: Date;
};

/** model.InstanceAssociation: the summary, its next scheduled date and its parse errors. */
type InstanceAssociation = { Association: AssociationSummary; NextScheduledDate?: Date; Errors: string[] };

/** What one `runScheduledAssociation` did. */
export type TickResult =
  | { kind: "idle"; nextScheduledDate?: Date }
  | { kind: "started"; associationId: string }
  | { kind: "inProgress"; associationId: string }
  | { kind: "stuck"; associationId: string };

/** rateexpr.go `Parse`: the interval in ms, or undefined for anything it refuses. */
function rateIntervalMs(expression: string): number | undefined {
  const match = /^rate\((\d+)\s*(minute|minutes|hour|hours|day|days)\)$/i.exec(expression);
  if (!match || Number(match[1]) === 0) return undefined;
  const unit = (match[2] as string).toLowerCase().replace(/s$/, "");
  const seconds = { minute: 60, hour: 3600, day: 86400 }[unit] as number;
  return Number(match[1]) * seconds * 1000;
}

/** model.go `IsRunOnceAssociation`. */
export const isRunOnce = (a: AssociationSummary) => a.ScheduleExpression === undefined || a.ScheduleExpression === "";

/** model.go `SetNextScheduledDate`, at `now`. */
export function nextScheduledDate(a: AssociationSummary, now: Date): Date | undefined {
  // Run association immediately if DetailedStatus is Pending
  if (a.DetailedStatus === "Pending") return now;
  if (isRunOnce(a)) {
    // Run association immediately if RunOnceAssociation has not been run before
    return a.DetailedStatus === "Associated" ? now : undefined;
  }
  // Run association immediately if association has not been run before
  if (a.LastExecutionDate === undefined) return now;
  const interval = rateIntervalMs(a.ScheduleExpression as string);
  if (interval === undefined) throw new Error(`not ported: ${a.ScheduleExpression}`);
  return new Date(a.LastExecutionDate.getTime() + interval);
}

export class AssociationAgent {
  /** schedulemanager.go's `associations`. */
  associations: InstanceAssociation[] = [];
  /** Each report sent: association, status, ErrorCode. */
  readonly reports: { associationId: string; status: string; errorCode: string }[] = [];

  constructor(
    readonly node: ManagedNode,
    /** The agent's `time.Now()`. */
    public now: () => Date = () => new Date(),
  ) {}

  /** ListInstanceAssociations, as service.go reads it into InstanceAssociationSummary. */
  async list(): Promise<AssociationSummary[]> {
    const answered = await this.node.associations();
    return answered.map((a) => ({
      AssociationId: a.AssociationId,
      Name: a.Name,
      InstanceId: a.InstanceId,
      DetailedStatus: a.DetailedStatus,
      ScheduleExpression: a.ScheduleExpression,
      LastExecutionDate: a.LastExecutionDate === undefined ? undefined : new Date(a.LastExecutionDate * 1000),
    }));
  }

  /** service.go `UpdateInstanceAssociationStatus`: the local status first, then the call. */
  async report(associationId: string, status: string, summary: string, errorCode = ""): Promise<void> {
    const local = this.find(associationId);
    if (local) local.Association.DetailedStatus = status;
    this.reports.push({ associationId, status, errorCode });
    const answer = await this.node.report(associationId, status, summary, errorCode, this.now());
    if (answer.status !== 200) throw new Error(`UpdateInstanceAssociationStatus ${answer.status}`);
  }

  /** schedulemanager.go `Refresh`: the answer replaces the list; each association's next date set. */
  refresh(answer: AssociationSummary[], errors: Map<string, string> = new Map()): void {
    this.associations = answer
      .map((Association) => ({ Association, Errors: errors.has(Association.AssociationId) ? ["parse"] : [] }))
      .filter((a) => a.Errors.length === 0);
    for (const a of this.associations) a.NextScheduledDate = nextScheduledDate(a.Association, this.now());
  }

  /** processor.go `ProcessAssociation`: one association poll; the signal it ends with is `tick`. */
  async poll(): Promise<void> {
    const answer = await this.list();
    const errors = new Map<string, string>();
    for (const a of answer) {
      if (!isRunOnce(a) && rateIntervalMs(a.ScheduleExpression as string) === undefined) {
        errors.set(a.AssociationId, "InvalidExpression");
        await this.report(
          a.AssociationId,
          "Failed",
          `Encountered error while parsing expression for association ${a.AssociationId}`,
          "InvalidExpression",
        );
      }
    }
    this.refresh(answer, errors);
  }

  /**
   * refreshassociation.go `refreshAssociation` (an `aws:refreshAssociation` step, run from a
   * command): the step's output.
   */
  async refreshAssociations(associationIds: string[]): Promise<string> {
    const answer = await this.list();
    const applyAll = associationIds.length === 0 || (associationIds.length === 1 && associationIds[0] === "");
    for (const a of answer) {
      if (applyAll || associationIds.includes(a.AssociationId)) {
        // If association is already InProgress, we don't want to run it again
        if (a.DetailedStatus === undefined || (a.DetailedStatus !== "InProgress" && a.DetailedStatus !== "Pending")) {
          // Updates status to pending, which is the indicator for schedulemanager for immediate execution
          this.reports.push({ associationId: a.AssociationId, status: "Pending", errorCode: "" });
          const sent = await this.node.report(a.AssociationId, "Pending", "Association is pending", "", this.now());
          if (sent.status !== 200) throw new Error(`UpdateInstanceAssociationStatus ${sent.status}`);
          a.DetailedStatus = "Pending";
        }
      }
    }
    this.refresh(answer);
    return applyAll
      ? "All associations have been requested to execute immediately"
      : `Associations [${associationIds.join(" ")}] have been requested to execute immediately`;
  }

  /** processor.go `runScheduledAssociation`: one signal. A run it starts is left running (`finish`). */
  async tick(): Promise<TickResult> {
    const now = this.now();
    const scheduled = this.associations.find((a) => a.NextScheduledDate && a.NextScheduledDate <= now);
    if (!scheduled) return { kind: "idle", nextScheduledDate: this.nextDate() };
    const id = scheduled.Association.AssociationId;
    if (scheduled.Association.DetailedStatus === "InProgress") {
      if (isTimedOut(scheduled.Association, now)) {
        await this.report(
          id,
          "Failed",
          "Association stuck at InProgress for longer than 2 hours",
          "StuckAtInProgressError",
        );
        return { kind: "stuck", associationId: id };
      }
      return { kind: "inProgress", associationId: id };
    }
    await this.report(id, "Pending", "Association is pending");
    await this.report(id, "InProgress", "Executing association");
    return { kind: "started", associationId: id };
  }

  /**
   * processor.go `pluginExecutionReport` and `listenToResponses`: the plugin's InProgress summary,
   * the final status, then `UpdateNextScheduledDate` (LastExecutionDate = now) and the next signal.
   */
  async finish(associationId: string, outcome: "Success" | "Failed" = "Success"): Promise<void> {
    const summary = outcome === "Success" ? AGENT_SUMMARY : AGENT_FAILED_SUMMARY;
    await this.report(associationId, "InProgress", summary);
    await this.report(associationId, outcome, summary, outcome === "Failed" ? "ExecutionError" : "");
    const local = this.find(associationId);
    if (local) {
      local.Association.LastExecutionDate = this.now();
      local.NextScheduledDate = nextScheduledDate(local.Association, this.now());
    }
  }

  /** Signals until nothing is due, each run started finished with `outcome`: the ids run, in order. */
  async drain(outcome: "Success" | "Failed" = "Success", limit = 10): Promise<string[]> {
    const ran: string[] = [];
    for (let i = 0; i < limit; i++) {
      const result = await this.tick();
      if (result.kind !== "started") return ran;
      ran.push(result.associationId);
      await this.finish(result.associationId, outcome);
    }
    throw new Error(`still running after ${limit} runs: ${ran.join(", ")}`);
  }

  /** schedulemanager.go `LoadNextScheduledDate`: when the wait timer fires next. */
  nextDate(): Date | undefined {
    const dates = this.associations.flatMap((a) => (a.NextScheduledDate ? [a.NextScheduledDate] : []));
    return dates.length === 0 ? undefined : new Date(Math.min(...dates.map((d) => d.getTime())));
  }

  private find(associationId: string): InstanceAssociation | undefined {
    return this.associations.find((a) => a.Association.AssociationId === associationId);
  }
}

/** processor.go `isAssociationTimedOut`. */
export function isTimedOut(a: AssociationSummary, now: Date): boolean {
  if (a.LastExecutionDate === undefined) return false;
  return a.LastExecutionDate.getTime() + STUCK_AFTER_MS < now.getTime();
}
