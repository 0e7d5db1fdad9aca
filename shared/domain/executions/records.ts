/**
 * Executions as the store keeps them: one item per run of an association, holding only counters
 * (never the list of its targets, so an execution item stays small for any fleet), and one item
 * per resolved node of that run.
 */
import type { NewCommand } from "../commands/records.ts";
import type { VersionRecord } from "../documents/records.ts";
import type { QueuedMessage } from "../messages/records.ts";

/** What started a run. */
export type ExecutionTrigger = "Create" | "Update" | "Schedule" | "StartAssociationsOnce";

export type ExecutionRecord = {
  AssociationId: string;
  /** The association version this run applies. */
  AssociationVersion: number;
  /** A time-ordered UUID (./execution-id.ts). */
  ExecutionId: string;
  /** ISO-8601 */
  CreatedTime: string;
  /** ISO-8601: the date of the last report a target made in this run. */
  LastExecutionDate?: string;
  /** The document version this run applies, resolved when it was created ("1", never "$DEFAULT"). */
  DocumentVersion?: string;
  Trigger: ExecutionTrigger;
  TargetCount: number;
  /** Targets by their status (Pending counts those waiting and those told to run). */
  Counts: Record<string, number>;
  /** Targets not yet told to run (rate controls hold them back). */
  Waiting: number;
  /** Targets told to run (or running) that have not reported a final status yet. */
  Active: number;
  /** Targets that ended Failed or TimedOut. */
  Errors: number;
  /** MaxConcurrency resolved against this run's targets (lib/rate-controls.ts). */
  MaxConcurrency: number;
  /** MaxErrors resolved against this run's targets: the run stops once Errors > MaxErrors. */
  MaxErrors: number;
  /** ISO-8601: under Duration, no target is started after this time. */
  Deadline?: string;
  /**
   * CalendarNames: not every calendar was OPEN when the run was due, so it started no target
   * (its targets are planned Skipped). AWS: "The association checks the calendar state when it
   * runs. If the calendar is closed at launch time and the association is only run once, it
   * won't run again"; "State Manager records history for all skipped intervals".
   */
  CalendarClosed?: boolean;
  /** ISO-8601: CalendarNames were OPEN when the run started and close at this time; no target is started after it. */
  CalendarClosesAt?: string;
  /**
   * How many counter shards the run's targets report to (shared/store/counter-shards.ts). A run
   * written before issue 26 has none: its counts are all on this item. As a reader gets a run,
   * Counts, Waiting, Active, TargetCount and LastExecutionDate are already summed with them.
   */
  Shards?: number;
  /** Summed from the shards: the status of the newest report, and the newest success's date. */
  LatestStatus?: string;
  LastSuccessDate?: string;
  /**
   * The Run Command command that carries this run to its nodes (issue 28): every target's
   * OutputSource. Set when the run is planned; absent on runs written before issue 28.
   */
  CommandId?: string;
  /** Whether the run is pushed over the message channel (ARCHITECTURE.md, "How an association run reaches its nodes"). */
  Pushed?: boolean;
  /** Pushed as a command of AWS-RefreshAssociation (its document cannot run as a command: planner.ts `pushFormOf`). */
  Refresh?: boolean;
};

export type ExecutionTargetRecord = {
  AssociationId: string;
  AssociationVersion: number;
  ExecutionId: string;
  ResourceId: string;
  ResourceType: "ManagedInstance";
  Status: string;
  DetailedStatus: string;
  /** ISO-8601: the date of the node's last report in this run. */
  LastExecutionDate?: string;
  /** Whether the node has been told to run (ListInstanceAssociations answered it as due). */
  Released: boolean;
  /** The run's counter shard this target reports to (absent in a run written before issue 26). */
  Shard?: number;
  /** Its shard's share of the run's MaxConcurrency: how many of the shard's targets run at once. */
  Slots?: number;
  /**
   * A pushed run's target: released only by the run's slot chain and sent its command's
   * message; the poll path lists it only once it has claimed it (`Polled`).
   */
  Pushed?: boolean;
  /** A pushed run's command (its message id is `aws.ssm.<CommandId>.<ResourceId>`). */
  CommandId?: string;
  /** The target this one's slot goes to when it ends (its shard's members in order). */
  Next?: string;
  /** Claimed by the poll path (its message never delivered): the agent runs it as an association. */
  Polled?: boolean;
  /** ISO-8601: when the node was told to run it (released, joined, or claimed by the poll path). */
  ReleasedAt?: string;
  /**
   * Ended by the service, not by a report: its node went quiet (executions.ts `settleQuiet`). The
   * first final status wins: a later report of the node leaves it as it is.
   */
  Settled?: boolean;
  /**
   * A pushed target whose message is AWS-RefreshAssociation's: the agent, told, lists its
   * associations and runs this one because the list answers it Pending (agent-runs.ts).
   */
  Refresh?: boolean;
};

/**
 * A new run: the execution and its targets, all Pending and waiting; a pushed run's first wave
 * already `Released`, with `push` (./dispatch.ts `prepare`), all written in the run's own write.
 */
export type PlannedExecution = { execution: ExecutionRecord; targets: ExecutionTargetRecord[]; push?: RunPush };

/**
 * What pushes a run to its nodes (issue 28), written with it: its Run Command command (head,
 * payload, an invocation per target) and its first wave's messages, as their queues keep them.
 */
export type RunPush = { command: NewCommand; messages: QueuedMessage[] };

/** The document version a pushed run's command carries, as the run's plan read it (no read more). */
export type PushedVersion = Pick<
  VersionRecord,
  "Name" | "Content" | "DocumentFormat" | "ParameterDefinitions" | "Parameters"
>;

/** Statuses a run ends a target with. */
export const FINAL_STATUSES = new Set(["Success", "Failed", "TimedOut", "Skipped"]);
/** Final statuses that count against MaxErrors. */
export const ERROR_STATUSES = new Set(["Failed", "TimedOut"]);

/** A node's report on its target in the association's current run, as the report leaves it. */
export type RunReport = { execution: ExecutionRecord; previous: ExecutionTargetRecord; next: ExecutionTargetRecord };
/**
 * The same, of a target known without reading it or its run (a legacy association's
 * `RunTarget`): the write checks the target is as given, and that no other target of the run
 * waits (a legacy association's run has only its node), by conditions.
 */
export type TargetReport = { execution?: undefined; previous: ExecutionTargetRecord; next: ExecutionTargetRecord };
