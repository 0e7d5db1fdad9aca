/**
 * The store the executions domain needs (implemented by shared/store/execution-store.ts). A new
 * run is published in one transaction with the association's head (which then names it as its
 * current run), so no reader ever sees a half-made run.
 */
import type { Scope } from "../../context.ts";
import type { NodeViewAssociation } from "../associations/records.ts";
import type { ExecutionRecord, ExecutionTargetRecord, PlannedExecution } from "./records.ts";

export type Page<T> = { items: T[]; more: boolean };

export type ReleaseResult = "released" | "held" | "stopped";
/**
 * The poll path's claim of a pushed target: taken, held (a race, or not to be handed out), its run
 * stopped, or delivered (the channel handed its message out, or the agent replied to it, which
 * takes it off the queue).
 */
export type ClaimResult = "claimed" | "held" | "stopped" | "delivered";

/** What publishing a run expects of, and changes on, the association's head. */
export type HeadChange = {
  associationId: string;
  /** The definition the run was planned from must still be the association's. */
  expectedVersion: number;
  /** Scheduler runs: the due time the run was planned for must still be the head's (exactly once). */
  expectedNextRunAt?: string;
  /** The next run to record (scheduler runs); null removes it (an at() that has run). */
  nextRunAt?: string | null;
  /**
   * A legacy association's node (its `InstanceId`): the head then records the node's target in
   * the new run (AssociationRecord.RunTarget), and the store keeps its copy of the head true.
   */
  legacyNode?: { documentName: string; instanceId: string };
  /** The dates the run being replaced leaves on the head (its shards are no longer read for them). */
  lastDates?: { execution?: string; success?: string };
};

/** A range of creation times as execution-id prefixes (./execution-id.ts): low inclusive, high exclusive. */
export type CreatedRange = { low?: string; high?: string };

export interface ExecutionStore {
  /**
   * Publishes a run: the execution and its targets, and the head's new current run, in one
   * transaction. Returns false when the head no longer matches `head` (another scheduler run, or
   * an update, got there first); nothing is then written.
   */
  start(scope: Scope, planned: PlannedExecution, head: HeadChange): Promise<boolean>;
  /**
   * A run handed to the scheduler (associations/runs.ts `tooBigToStartNow`): the head due at
   * `dueAt` (its NextRunAt and the scheduler's index entry), on condition that its definition and
   * next run are still as read. The head shows Pending, Associated at once, as a run written by
   * the request leaves it (its counts empty until the tick: associations/runs.ts `withRunTotals`),
   * and keeps the dates of the run being replaced (`lastDates`). False when they are not; nothing
   * is then written.
   */
  handOver(
    scope: Scope,
    head: Pick<HeadChange, "associationId" | "expectedVersion" | "lastDates" | "legacyNode"> & {
      expectedNextRunAt?: string;
      dueAt: string;
    },
  ): Promise<boolean>;
  get(scope: Scope, associationId: string, executionId: string): Promise<ExecutionRecord | undefined>;
  /** Newest first, from just before `before` (an execution id), within a creation-time range. */
  list(
    scope: Scope,
    associationId: string,
    range: CreatedRange,
    before: string | undefined,
    limit: number,
  ): Promise<Page<ExecutionRecord>>;
  /** In resource-id order, after `after`. */
  listTargets(
    scope: Scope,
    executionId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<ExecutionTargetRecord>>;
  /** A run and one node's target in it, in one read. */
  runTarget(
    scope: Scope,
    associationId: string,
    executionId: string,
    resourceId: string,
  ): Promise<{ execution?: ExecutionRecord; target?: ExecutionTargetRecord }>;
  /** The targets of one node in several runs, in one read. */
  targetsOf(scope: Scope, wanted: { executionId: string; resourceId: string }[]): Promise<ExecutionTargetRecord[]>;
  /**
   * Tells one waiting target to run if its shard has room under its share of MaxConcurrency, and
   * its run has not stopped (MaxErrors) and is not past its Duration cutoff nor its calendars'
   * closing, in one conditional transaction. "released"; "held" (no room yet, or a lost race:
   * the node asks again); or "stopped" (the run starts no more targets: its waiting ones are
   * skipped).
   */
  release(scope: Scope, target: ExecutionTargetRecord, now: Date): Promise<ReleaseResult>;
  /**
   * The poll path's claim of a pushed run's target: its message taken off the queue only if the
   * channel never handed it out (and it has waited `waitedMs`), the run not stopped, the target
   * marked `Polled`: one conditional transaction. "stopped" when the run starts no more targets
   * and the channel never handed the message out.
   */
  claimPolled(
    scope: Scope,
    target: ExecutionTargetRecord,
    messageId: string,
    now: Date,
    waitedMs: number,
  ): Promise<ClaimResult>;
  /**
   * A target that will hear nothing more, ended with `status` (marked Settled) on condition that
   * it is still as read, with its run's counts moved as a report's would be: false if a report
   * landed first.
   */
  settle(scope: Scope, target: ExecutionTargetRecord, status: string, now: Date): Promise<boolean>;
  /** Whether the run starts no more targets (MaxErrors, Duration, calendars): one condition check. */
  stopped(scope: Scope, target: ExecutionTargetRecord, now: Date): Promise<boolean>;
  /** Runs by id, each summed with its shards (an association head names its run and shards). */
  runs(
    scope: Scope,
    wanted: readonly { associationId: string; executionId: string; shards?: number }[],
  ): Promise<Map<string, ExecutionRecord>>;
  /**
   * Adds a node the run did not include, told to run at once (beyond MaxConcurrency, as AWS lets
   * a new node run), and counts it on the run and on the association's rollup. Returns its
   * target, or undefined if the run is no longer the association's current one.
   */
  join(
    scope: Scope,
    association: NodeViewAssociation,
    executionId: string,
    resourceId: string,
    now: Date,
  ): Promise<ExecutionTargetRecord | undefined>;
}
