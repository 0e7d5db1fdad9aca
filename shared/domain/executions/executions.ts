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
import { withRunTotals } from "../associations/runs.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { executionNotFound, executionTooManyUpdates } from "./errors.ts";
import { executionIdPrefix } from "./execution-id.ts";
import { type CalendarGate, type PushForm, planExecution } from "./planner.ts";
import type {
  ExecutionRecord,
  ExecutionTargetRecord,
  ExecutionTrigger,
  PlannedExecution,
  PushedVersion,
  RunReport,
  TargetReport,
} from "./records.ts";
import type { CreatedRange, ExecutionStore, HeadChange } from "./store.ts";
import { executionView, targetView } from "./views.ts";

export type Clock = () => Date;

/** What running an association needs from the rest of the service. */
export type RunDependencies = {
  /** The association's head, or undefined. */
  association(scope: Scope, associationId: string): Promise<AssociationRecord | undefined>;
  /** The managed nodes the association targets now. */
  targetedNodeIds(scope: Scope, association: AssociationRecord): Promise<string[]>;
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
      runnable?: Runnable;
      nodeIds?: string[];
      calendarContents?: readonly string[];
    } = {},
  ): Promise<PlannedExecution> {
    const now = this.clock();
    // The calendars are read with the targets and the document (one batch).
    const [nodeIds, runnable, calendar] = await Promise.all([
      known.nodeIds ?? this.deps.targetedNodeIds(scope, association),
      known.runnable ?? this.deps.runnable(scope, association),
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
  ): Promise<ExecutionRecord | undefined> {
    // The run it replaces is read at once with the plan's reads (one batch, no round trip more).
    const [planned, lastDates] = await Promise.all([
      this.plan(scope, association, trigger),
      this.lastDates(scope, association),
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
    for (let attempt = 1; !(await this.start(scope, association, "StartAssociationsOnce")); attempt++) {
      const fresh = await this.deps.association(scope, association.AssociationId);
      if (!fresh) throw this.deps.notFound(association.AssociationId);
      if (attempt >= 5) throw executionTooManyUpdates();
      association = fresh;
    }
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
    if (!execution || !target) return undefined;
    return { execution, ...this.reportOn(target, status, date) };
  }

  /** A report on a target as it is known (read, or a legacy association's copy): how it leaves it. */
  reportOn(target: ExecutionTargetRecord, status: string, date: string): TargetReport {
    const next = { ...target, Status: status, DetailedStatus: status, LastExecutionDate: date, Released: true };
    return { previous: target, next };
  }

  /** DescribeAssociationExecutions: newest first, filtered, paged. */
  async describeExecutions(scope: Scope, request: DescribeAssociationExecutionsRequest) {
    const associationId = request.AssociationId as string;
    const limit = request.MaxResults ?? 50;
    const filters = executionFilters(request.Filters ?? []);
    const cursor = decodeToken(request.NextToken, (v): v is { before: string } => typeof v.before === "string");
    const now = this.clock();
    const matches = (execution: ExecutionRecord) =>
      (!filters.executionId || execution.ExecutionId === filters.executionId) &&
      (!filters.status || executionView(execution, now).Status === filters.status);
    const found: ExecutionRecord[] = [];
    let before = cursor?.before;
    let more = true;
    while (more && found.length <= limit && !filters.empty) {
      const page = await this.store.list(scope, associationId, filters.range, before, limit);
      found.push(...page.items.filter(matches));
      before = page.items.at(-1)?.ExecutionId ?? before;
      more = page.more;
    }
    // An association with no run at all may not exist: only then is it read.
    if (!cursor && found.length === 0 && !(await this.deps.association(scope, associationId))) {
      throw this.deps.notFound(associationId);
    }
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      AssociationExecutions: items.map((execution) => executionView(execution, now)),
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
    const execution = await this.store.get(scope, associationId, executionId);
    if (!execution) {
      if (!(await this.deps.association(scope, associationId))) throw this.deps.notFound(associationId);
      throw executionNotFound(executionId);
    }
    const now = this.clock();
    const views = (targets: ExecutionTargetRecord[]) => targets.map((target) => targetView(target, execution, now));
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
