/**
 * Runs of associations (executions): starting one (StartAssociationsOnce, the scheduler, and a
 * create or an update through the associations service), and the two views of their history,
 * DescribeAssociationExecutions and DescribeAssociationExecutionTargets. Time comes from an
 * injected clock.
 */
import type {
  AssociationExecutionFilter,
  AssociationExecutionTargetsFilter,
  DescribeAssociationExecutionsRequest,
  DescribeAssociationExecutionTargetsRequest,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { SsmError, ValidationException } from "../../errors.ts";
import { countEvent } from "../../lib/request-scope.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { afterDueRun, isDue, REQUEST_RUN_TARGETS, tooBigToStartNow, withRunTotals } from "../associations/runs.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { executionNotFound, executionTooManyUpdates } from "./errors.ts";
import { executionIdPrefix } from "./execution-id.ts";
import { type CalendarGate, type PushForm, planExecution } from "./planner.ts";
import {
  type ExecutionRecord,
  type ExecutionTargetRecord,
  type ExecutionTrigger,
  FINAL_STATUSES,
  type PlannedExecution,
  type PushedVersion,
  type RunReport,
  type TargetReport,
} from "./records.ts";
import type { CreatedRange, ExecutionStore, HeadChange } from "./store.ts";
import { executionView, isSuperseded, targetView } from "./views.ts";

export type Clock = () => Date;

/**
 * How long a run may hear nothing from a node it told to run before that node's target is ended
 * (`settleQuiet`): the agent's own bound for an association that never ends, two hours
 * (`documentLevelTimeOutDurationHour = 2`, agent/association/processor/processor.go
 * `isAssociationTimedOut`: past it the agent itself reports the association Failed,
 * StuckAtInProgress). A node silent that long has stopped, lost its network or been deregistered.
 */
export const QUIET_AFTER_MS = 2 * 3600 * 1000;

const since = (now: Date, ...dates: (string | undefined)[]) =>
  now.getTime() - Math.max(...dates.map((date) => (date ? Date.parse(date) : 0)));

/** A run with targets told to run that has heard nothing from any of them for QUIET_AFTER_MS. */
const isQuiet = (run: ExecutionRecord, now: Date) =>
  run.Active > 0 && since(now, run.LastExecutionDate, run.CreatedTime) > QUIET_AFTER_MS;

/**
 * A target whose node reports it as an association (a polled run's, a pushed one the poll path
 * took over, or one pushed as AWS-RefreshAssociation: a target pushed as its document's command
 * is ended by that command otherwise, commands/progress.ts `settle`),
 * not final, with nothing from its node for QUIET_AFTER_MS since it was told.
 */
const isOverdue = (target: ExecutionTargetRecord, run: ExecutionRecord, now: Date) =>
  target.Released &&
  !FINAL_STATUSES.has(target.Status) &&
  (!target.Pushed || target.Polled === true || target.Refresh === true) &&
  since(now, target.LastExecutionDate, target.ReleasedAt, run.CreatedTime) > QUIET_AFTER_MS;

/** What running an association needs from the rest of the service. */
export type RunDependencies = {
  /** The association's head, or undefined. */
  association(scope: Scope, associationId: string): Promise<AssociationRecord | undefined>;
  /** The managed nodes the association targets now (reading no more than `atMost` of a tag's or the account's). */
  targetedNodeIds(scope: Scope, association: AssociationRecord, atMost?: number): Promise<string[]>;
  /**
   * The document version that runs ("1" for "$DEFAULT") and whether it can run as a command (its
   * run is then pushed, with that version's content), if the document can still be found.
   */
  runnable(scope: Scope, association: AssociationRecord): Promise<Runnable | undefined>;
  /** AssociationDoesNotExist for this id. */
  notFound(associationId: string): SsmError;
  /**
   * The association's Change Calendars (CalendarNames), combined, at `at`: their contents as
   * given (read already by a create's checks) or read now. Only called with CalendarNames.
   */
  calendarState(scope: Scope, names: readonly string[], at: Date, contents?: readonly string[]): Promise<CalendarGate>;
};

/** The document version a run applies, and whether (and with which content) it is pushed. */
export type Runnable = { version: string; push: PushForm; content?: PushedVersion };

/** Pushes a run to its nodes (./dispatch.ts): its command and first wave planned with it, then told once written. */
export type Dispatcher = {
  prepare(
    scope: Scope,
    association: AssociationRecord,
    planned: PlannedExecution,
    version: PushedVersion,
  ): Promise<PlannedExecution>;
  dispatch(scope: Scope, planned: PlannedExecution): void;
};

export class Executions {
  constructor(
    private readonly store: ExecutionStore,
    private readonly deps: RunDependencies,
    readonly clock: Clock = () => new Date(),
    private readonly dispatcher?: Dispatcher,
    /** A run was handed to the scheduler: `npm start` ticks now; deployed, the next minute's tick. */
    private readonly runDeferred: () => void = () => {},
  ) {}

  /**
   * After a run is written (here, or with its association's create or update): its first wave's
   * messages were written with it (`plan`), and the polls held for those nodes are woken.
   */
  dispatch(scope: Scope, planned: PlannedExecution | undefined): void {
    if (planned) this.dispatcher?.dispatch(scope, planned);
  }

  /** A run of this association now, planned from its current definition (not yet written). */
  async plan(
    scope: Scope,
    association: AssociationRecord,
    trigger: ExecutionTrigger,
    known: {
      runnable?: Runnable | Promise<Runnable | undefined>;
      nodeIds?: string[];
      calendarContents?: readonly string[];
    } = {},
  ): Promise<PlannedExecution> {
    const now = this.clock();
    // The calendars are read with the targets and the document (one batch).
    const [nodeIds, runnable, calendar] = await Promise.all([
      known.nodeIds ?? this.deps.targetedNodeIds(scope, association),
      "runnable" in known ? known.runnable : this.deps.runnable(scope, association),
      this.calendarGate(scope, association, now, known.calendarContents),
    ]);
    const planned = planExecution({
      association,
      nodeIds,
      now,
      trigger,
      documentVersion: runnable?.version,
      push: runnable?.push,
      calendar,
    });
    // A pushed run's command and first wave go in the run's own write, from the version read here.
    if (!this.dispatcher || !runnable?.content) return planned;
    return this.dispatcher.prepare(scope, association, planned, runnable.content);
  }

  /**
   * Whether the association's CalendarNames let a run start now: "The associations only run when
   * that change calendar is open" (CreateAssociation). A calendar that can no longer be read (its
   * document deleted or unshared since, content the service can't evaluate) is not OPEN: the run
   * is recorded as skipped rather than run or lost.
   */
  async calendarGate(
    scope: Scope,
    association: Pick<AssociationRecord, "CalendarNames">,
    now: Date,
    contents?: readonly string[],
  ): Promise<CalendarGate | undefined> {
    const names = association.CalendarNames ?? [];
    if (names.length === 0) return undefined;
    try {
      return await this.deps.calendarState(scope, names, now, contents);
    } catch (error) {
      if (error instanceof SsmError) return { state: "CLOSED" };
      throw error;
    }
  }

  /**
   * Association heads as the API shows them: each with its current run's totals folded in
   * (associations/runs.ts withRunTotals), every run and its shards in one batch read.
   */
  async withCurrentRuns(scope: Scope, records: readonly AssociationRecord[]): Promise<AssociationRecord[]> {
    const wanted = records
      .filter((record) => record.CurrentExecutionId && record.RunShards && !record.InstanceId)
      .map((record) => ({
        associationId: record.AssociationId,
        executionId: record.CurrentExecutionId as string,
        shards: record.RunShards,
      }));
    if (wanted.length === 0) return [...records];
    const runs = await this.store.runs(scope, wanted);
    // Each is its association's current run; a quiet one ends what will not report (settleQuiet).
    for (const run of [...runs.values()]) {
      const [now] = await this.settleQuiet(scope, [run], { CurrentExecutionId: run.ExecutionId });
      if (now) runs.set(run.ExecutionId, now);
    }
    const now = this.clock();
    return records.map((record) =>
      withRunTotals(record, record.CurrentExecutionId ? runs.get(record.CurrentExecutionId) : undefined, now),
    );
  }

  /** The dates a head keeps when its current run is replaced (read with the new run's plan). */
  async lastDates(scope: Scope, association: AssociationRecord): Promise<HeadChange["lastDates"]> {
    const [folded] = await this.withCurrentRuns(scope, [association]);
    if (folded === association || !folded) return undefined;
    return { execution: folded.LastExecutionDate, success: folded.LastSuccessfulExecutionDate };
  }

  /** Plans and publishes a run; false when the head moved on (see ExecutionStore.start). */
  async start(
    scope: Scope,
    association: AssociationRecord,
    trigger: ExecutionTrigger,
    head: Omit<HeadChange, "associationId" | "expectedVersion"> = {},
    known?: {
      nodeIds?: string[];
      runnable: Promise<Runnable | undefined>;
      lastDates: Promise<HeadChange["lastDates"]>;
    },
  ): Promise<ExecutionRecord | undefined> {
    // The run it replaces is read at once with the plan's reads (one batch, no round trip more).
    const [planned, lastDates] = await Promise.all([
      this.plan(scope, association, trigger, known),
      known?.lastDates ?? this.lastDates(scope, association),
    ]);
    const started = await this.store.start(scope, planned, {
      lastDates,
      associationId: association.AssociationId,
      expectedVersion: association.AssociationVersion,
      ...(association.InstanceId
        ? { legacyNode: { documentName: association.DocumentName, instanceId: association.InstanceId } }
        : {}),
      ...head,
    });
    if (!started) return undefined;
    this.dispatch(scope, planned);
    countEvent("RunsStarted");
    return planned.execution;
  }

  /**
   * StartAssociationsOnce: a new run of each association now. Every id is checked before any run
   * starts, so a bad id starts nothing. A run races only with an update of its association: it is
   * then planned again from the new definition.
   *
   * Three round trips whatever the number of ids, the minimum: the heads (only the ids are known
   * up front; the targets, document and parameters are on them), then every run's targeted
   * nodes and document version at once (the nodes by key for InstanceIds targets, in one
   * BatchGetItem with the other runs'; the account's nodes, a query a page, for tag and `*`
   * targets, since a node's tags change without any write on the association; an AWS-owned
   * document needs no read), then each run's transaction, all at once.
   */
  async startOnce(scope: Scope, associationIds: string[]): Promise<void> {
    const ids = [...new Set(associationIds)];
    const found = await Promise.all(ids.map((id) => this.deps.association(scope, id)));
    const missing = ids.find((_, i) => !found[i]);
    if (missing) throw this.deps.notFound(missing);
    const started = await Promise.allSettled(
      (found as AssociationRecord[]).map((association) => this.startOne(scope, association)),
    );
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  private async startOne(scope: Scope, read: AssociationRecord): Promise<void> {
    let association = read;
    for (let attempt = 1; !(await this.startOrHandOver(scope, association)); attempt++) {
      const fresh = await this.deps.association(scope, association.AssociationId);
      if (!fresh) throw this.deps.notFound(association.AssociationId);
      if (attempt >= 5) throw executionTooManyUpdates();
      association = fresh;
    }
  }

  /**
   * StartAssociationsOnce's run of one association, or, more than REQUEST_RUN_TARGETS targets,
   * its hand-off to the scheduler (associations/runs.ts `tooBigToStartNow`): the head due now,
   * and the next tick writes the run. The targets are read only up to one past that bound, with
   * the document and the run it replaces (one round trip); false when the head moved on.
   */
  private async startOrHandOver(scope: Scope, association: AssociationRecord): Promise<boolean> {
    const now = this.clock();
    const lastDates = this.lastDates(scope, association);
    lastDates.catch(() => undefined);
    const runnable = this.deps.runnable(scope, association);
    runnable.catch(() => undefined);
    const nodeIds = await this.deps.targetedNodeIds(scope, association, REQUEST_RUN_TARGETS + 1);
    // A head already due (handed over, or a scheduled run not yet ticked) has the run this asks
    // for about to start (runs.ts `isDue`). A run this request may write takes that due entry, as
    // the tick would; a bigger one is confirmed with one conditional update keeping the due time,
    // and the tick starts it once. Either write is conditioned on the version and that due time,
    // so the condition, not the read, decides: if the tick took the run first, the write fails,
    // the head is read again and a run of this request's own starts (it came after that one).
    // A run written beside the due entry would leave the tick to start one more.
    const due = isDue(association, now);
    const handOver = due ? nodeIds.length > REQUEST_RUN_TARGETS : tooBigToStartNow(association, nodeIds.length, now);
    if (!handOver) {
      // Past the bound and still written here (runs.ts `tooBigToStartNow`: its schedule), read whole.
      const all = nodeIds.length <= REQUEST_RUN_TARGETS ? nodeIds : undefined;
      const known = { nodeIds: all, runnable, lastDates };
      const head = due
        ? { expectedNextRunAt: association.NextRunAt, nextRunAt: afterDueRun(association, now) ?? null }
        : {};
      return (await this.start(scope, association, "StartAssociationsOnce", head, known)) !== undefined;
    }
    const handed = await this.store.handOver(scope, {
      associationId: association.AssociationId,
      expectedVersion: association.AssociationVersion,
      expectedNextRunAt: association.NextRunAt,
      dueAt: due ? (association.NextRunAt as string) : now.toISOString(),
      lastDates: await lastDates,
      ...(association.InstanceId
        ? { legacyNode: { documentName: association.DocumentName, instanceId: association.InstanceId } }
        : {}),
    });
    if (handed) this.runDeferred();
    return handed;
  }

  /**
   * A node's report on its target in the association's current run, as the report leaves it
   * (undefined when there is no run, or the node is not in it). A report means the node runs it,
   * told or not.
   */
  async runReport(
    scope: Scope,
    association: AssociationRecord,
    instanceId: string,
    status: string,
    date: string,
    /** The run reported on (a pushed run's command names it); by default the association's current one. */
    runId?: string,
  ): Promise<RunReport | undefined> {
    const executionId = runId ?? association.CurrentExecutionId;
    if (!executionId) return undefined;
    const { execution, target } = await this.store.runTarget(scope, association.AssociationId, executionId, instanceId);
    // A target the service settled keeps its status: the first final status wins (settleQuiet).
    if (!execution || !target || target.Settled) return undefined;
    return { execution, ...this.reportOn(target, status, date) };
  }

  /** A report on a target as it is known (read, or a legacy association's copy): how it leaves it. */
  reportOn(target: ExecutionTargetRecord, status: string, date: string): TargetReport {
    const next = { ...target, Status: status, DetailedStatus: status, LastExecutionDate: date, Released: true };
    return { previous: target, next };
  }

  /**
   * Runs that end on their own: the targets a quiet run (`isQuiet`) told to run and never heard
   * from again (`isOverdue`) are settled, each by one conditional write (the first final status
   * wins: ExecutionStore.settle): TimedOut in the association's current run (it counts against
   * MaxErrors, as Run Command's execution timeout does), Skipped in a run a newer one replaced
   * (their nodes' reports land on that one). Done by the reads that show runs and by the
   * scheduler's next run of the association (through `lastDates`), so no process of its own is
   * needed; a run not quiet costs nothing here. A superseded polled run needs no write: its views
   * end it (views.ts isSuperseded). Returns the runs as they are now.
   */
  async settleQuiet(
    scope: Scope,
    runs: readonly ExecutionRecord[],
    head: Pick<AssociationRecord, "CurrentExecutionId" | "InstanceId"> | undefined,
  ): Promise<ExecutionRecord[]> {
    // A legacy (InstanceId) association's head keeps its node's target and rollup (records.ts
    // RunTarget), which only its node's reports write: left as they are.
    if (head?.InstanceId) return [...runs];
    const currentExecutionId = head?.CurrentExecutionId;
    const now = this.clock();
    return Promise.all(
      runs.map(async (run) => {
        if (!isQuiet(run, now) || isSuperseded(run, currentExecutionId)) return run;
        const status = run.ExecutionId === currentExecutionId ? "TimedOut" : "Skipped";
        let settled = 0;
        let after: string | undefined;
        for (let more = true; more; ) {
          const page = await this.store.listTargets(scope, run.ExecutionId, after, 100);
          const overdue = page.items.filter((target) => isOverdue(target, run, now));
          const results = await Promise.all(overdue.map((target) => this.store.settle(scope, target, status, now)));
          settled += results.filter(Boolean).length;
          after = page.items.at(-1)?.ResourceId;
          more = page.more;
        }
        return settled > 0 ? ((await this.store.get(scope, run.AssociationId, run.ExecutionId)) ?? run) : run;
      }),
    );
  }

  /** DescribeAssociationExecutions: newest first, filtered, paged. */
  async describeExecutions(scope: Scope, request: DescribeAssociationExecutionsRequest) {
    const associationId = request.AssociationId as string;
    const limit = request.MaxResults ?? 50;
    const filters = executionFilters(request.Filters ?? []);
    const cursor = decodeToken(request.NextToken, (v): v is { before: string } => typeof v.before === "string");
    const now = this.clock();
    // The head, read with the first page: which run is current (the others, if polled, have
    // ended: views.ts isSuperseded), and whether the association exists when it has no run.
    const head = this.deps.association(scope, associationId);
    // Awaited below unless no page is read (filters that match nothing, past the first page).
    head.catch(() => undefined);
    let current: string | undefined;
    const view = (execution: ExecutionRecord) => executionView(execution, now, isSuperseded(execution, current));
    const matches = (execution: ExecutionRecord) =>
      (!filters.executionId || execution.ExecutionId === filters.executionId) &&
      (!filters.status || view(execution).Status === filters.status);
    const found: ExecutionRecord[] = [];
    let before = cursor?.before;
    let more = true;
    while (more && found.length <= limit && !filters.empty) {
      const [page, association] = await Promise.all([
        this.store.list(scope, associationId, filters.range, before, limit),
        head,
      ]);
      current = association?.CurrentExecutionId;
      found.push(...(await this.settleQuiet(scope, page.items, association)).filter(matches));
      before = page.items.at(-1)?.ExecutionId ?? before;
      more = page.more;
    }
    if (!cursor && found.length === 0 && !(await head)) throw this.deps.notFound(associationId);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      AssociationExecutions: items.map(view),
      NextToken: found.length > limit && last ? encodeToken({ before: last.ExecutionId }) : undefined,
    };
  }

  /** DescribeAssociationExecutionTargets: one run's targets in node order, filtered, paged. */
  async describeTargets(scope: Scope, request: DescribeAssociationExecutionTargetsRequest) {
    const associationId = request.AssociationId as string;
    const executionId = request.ExecutionId as string;
    const limit = request.MaxResults ?? 50;
    const filters = targetFilters(request.Filters ?? []);
    const cursor = decodeToken(request.NextToken, (v): v is { after: string } => typeof v.after === "string");
    // The run and the head (which run is current: views.ts isSuperseded) at once.
    const [read, head] = await Promise.all([
      this.store.get(scope, associationId, executionId),
      this.deps.association(scope, associationId),
    ]);
    if (!read) {
      if (!head) throw this.deps.notFound(associationId);
      throw executionNotFound(executionId);
    }
    const [execution] = (await this.settleQuiet(scope, [read], head)) as [ExecutionRecord];
    const now = this.clock();
    const superseded = isSuperseded(execution, head?.CurrentExecutionId);
    const views = (targets: ExecutionTargetRecord[]) =>
      targets.map((target) => targetView(target, execution, now, superseded));
    const found: ReturnType<typeof views> = [];
    let after = cursor?.after;
    let more = true;
    while (more && found.length <= limit) {
      const page = await this.store.listTargets(scope, executionId, after, limit);
      found.push(...views(page.items).filter((t) => filters.every(([key, value]) => t[key] === value)));
      after = page.items.at(-1)?.ResourceId ?? after;
      more = page.more;
    }
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      AssociationExecutionTargets: items,
      NextToken: found.length > limit && last ? encodeToken({ after: last.ResourceId as string }) : undefined,
    };
  }
}

/**
 * The filters AWS documents: "ExecutionId (EQUAL) Status (EQUAL) CreatedTime (EQUAL,
 * GREATER_THAN, LESS_THAN)". CreatedTime becomes a range of execution-id prefixes (ids sort by
 * creation time), so the store reads only that range; several filters narrow each other.
 */
function executionFilters(filters: AssociationExecutionFilter[]) {
  let executionId: string | undefined;
  let status: string | undefined;
  let empty = false;
  const range: CreatedRange = {};
  const narrow = (low?: string, high?: string) => {
    if (low !== undefined && (range.low === undefined || low > range.low)) range.low = low;
    if (high !== undefined && (range.high === undefined || high < range.high)) range.high = high;
  };
  for (const filter of filters) {
    const value = filter.Value as string;
    if (filter.Key === "CreatedTime") {
      const prefix = executionIdPrefix(filterTime(value));
      // Ids made at that millisecond start with `prefix-`; "-z" sorts after all of them.
      if (filter.Type === "EQUAL") narrow(prefix, `${prefix}-z`);
      else if (filter.Type === "GREATER_THAN") narrow(`${prefix}-z`, undefined);
      else narrow(undefined, prefix);
      continue;
    }
    if (filter.Type !== "EQUAL") {
      throw new ValidationException(`The filter ${filter.Key} supports only the EQUAL type.`);
    }
    if (filter.Key === "ExecutionId") {
      if (executionId !== undefined && executionId !== value) empty = true;
      executionId = value;
      // One id is one key: read just it.
      narrow(value, `${value}z`);
    } else if (filter.Key === "Status") {
      if (status !== undefined && status !== value) empty = true;
      status = value;
    }
  }
  if (range.low !== undefined && range.high !== undefined && range.low >= range.high) empty = true;
  return { executionId, status, range, empty };
}

/** A CreatedTime filter value: ISO-8601 (as AWS's examples write it) or epoch seconds. */
function filterTime(value: string): Date {
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ValidationException(`The CreatedTime filter value ${value} is not a time.`);
  return date;
}

/** "Status (EQUAL) ResourceId (EQUAL) ResourceType (EQUAL)": this filter shape has no Type. */
function targetFilters(filters: AssociationExecutionTargetsFilter[]) {
  return filters.map(
    (filter) => [filter.Key as "Status" | "ResourceId" | "ResourceType", filter.Value as string] as const,
  );
}
