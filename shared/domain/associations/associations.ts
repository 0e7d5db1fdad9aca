/**
 * State Manager associations, one method per operation: what a create, update, describe, list
 * or delete means. The checks before a write are in ./checks.ts, the wire views in ./views.ts,
 * the list filters in ./list-filters.ts; the invariants (uniqueness, the account limit, the
 * document guard) are held by the store's transactions.
 */
import { randomUUID } from "node:crypto";
import type {
  AssociationDescription,
  CreateAssociationBatchRequestEntry,
  CreateAssociationRequest,
  DeleteAssociationRequest,
  DescribeAssociationRequest,
  ListAssociationsRequest,
  ListAssociationVersionsRequest,
  Tag,
  UpdateAssociationRequest,
  UpdateAssociationStatusRequest,
} from "@aws-sdk/client-ssm";
import type { RequestContext, Scope } from "../../context.ts";
import {
  AssociationVersionLimitExceeded,
  InvalidInstanceId,
  InvalidTarget,
  InvalidUpdate,
  StatusUnchanged,
  TooManyUpdates,
  UnsupportedPlatformType,
  ValidationException,
} from "../../errors.ts";
import { countEvent } from "../../lib/request-scope.ts";
import { resolveDocumentName } from "../documents/names.ts";
import type { DocumentReader } from "../documents/reader.ts";
import type { Executions } from "../executions/executions.ts";
import { pushFormOf } from "../executions/planner.ts";
import type { PlannedExecution, RunReport, TargetReport } from "../executions/records.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { decodeToken, encodeToken, filteredPage, pageAfter } from "../pagination.ts";
import { firstRun } from "../scheduler/next-run.ts";
import { type CreateReads, createBatch, type PreparedCreate } from "./batch.ts";
import { type CheckedDefinition, checkDefinition, tagsOf } from "./checks.ts";
import { clearedDefinition, definitionOf, versionOf } from "./definition.ts";
import { associationNotFound, invalidAssociationVersion, legacyAssociationNotFound } from "./errors.ts";
import { matchesFilter } from "./list-filters.ts";
import { assertOwnNode, associationsOfNode, visibilityOf } from "./node-view.ts";
import type { AssociationRecord } from "./records.ts";
import {
  afterDueRun,
  dueNow,
  isDue,
  REQUEST_RUN_TARGETS,
  scheduleChanged,
  tooBigForRequest,
  tooBigToStartNow,
  withRun,
} from "./runs.ts";
import type { AssociationStore } from "./store.ts";
import { describe, listed, versionInfo } from "./views.ts";

/** Targets read up to one past REQUEST_RUN_TARGETS, if that was all of them (else undefined: read them all). */
const allRead = (nodeIds: string[] | undefined) =>
  nodeIds && nodeIds.length <= REQUEST_RUN_TARGETS ? nodeIds : undefined;

/** AWS's quota: 2,000 active associations per account and Region (ASSOCIATION_LIMIT lowers it for tests). */
export const ASSOCIATION_LIMIT = 2000;
export const ASSOCIATION_VERSION_LIMIT = 1000;

type Request = CreateAssociationRequest | CreateAssociationBatchRequestEntry;

/** ListAssociations: listing pages (of MaxResults heads each) read per request at most. */
const LIST_READS = 10;

export class Associations {
  constructor(
    private readonly store: AssociationStore,
    readonly documents: DocumentReader,
    readonly nodes: Nodes,
    private readonly runs: Pick<
      Executions,
      "plan" | "clock" | "runReport" | "reportOn" | "withCurrentRuns" | "lastDates" | "dispatch"
    >,
    private readonly limit: number = ASSOCIATION_LIMIT,
    private readonly versionLimit: number = ASSOCIATION_VERSION_LIMIT,
    /** A first run was handed to the scheduler (runs.ts `tooBigForRequest`): `npm start` ticks now; deployed, the next minute's tick. */
    private readonly runDeferred: () => void = () => {},
  ) {}

  async create(scope: Scope, request: Request & { Tags?: Tag[] }): Promise<AssociationDescription> {
    const prepared = await this.prepare(scope, request, this);
    await this.commit(scope, prepared);
    // The answer is the association as created, before its run: AWS's create-association output
    // shows `Overview {Status: Pending, DetailedStatus: Creating}`.
    return describe(prepared.record);
  }

  /**
   * A create up to its write: the checks and the first run's plan, reading through `reads` (this
   * service's documents and nodes, or a batch's shared reads, ./batch.ts). Writes nothing.
   */
  async prepare(scope: Scope, request: Request & { Tags?: Tag[] }, reads: CreateReads): Promise<PreparedCreate> {
    const checked = await checkDefinition(reads, scope, definitionOf(request));
    const clock = this.runs.clock();
    const now = clock.toISOString();
    const associationId = randomUUID();
    const record: AssociationRecord = {
      ...checked.definition,
      AssociationId: associationId,
      AssociationVersion: 1,
      VersionCount: 1,
      DocumentName: checked.documentName,
      DocumentOwner: checked.owner,
      DocumentAccount: checked.shared?.ownerAccountId,
      DocumentShare: checked.shared?.grantee,
      Date: now,
      LastUpdateAssociationDate: now,
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      ...(checked.definition.InstanceId
        ? { Status: { Date: now, Name: "Associated", Message: `Associated with ${checked.definition.Name}` } }
        : {}),
      Tags: tagsOf((request as CreateAssociationRequest).Tags),
      Revision: 0,
      NextRunAt: firstRun(checked.definition, clock),
    };
    // It runs at once, unless ApplyOnlyAtCronInterval: the first run is written with it, or, too
    // big for the request, by the scheduler's next tick.
    // Its targets are read only up to one past that bound (a tag of 10,000 nodes: 2 pages, not 11).
    if (record.ApplyOnlyAtCronInterval) return { record, version: versionOf(record, now) };
    const nodeIds =
      checked.namedNodeIds ??
      (await (reads.targetedNodeIds ?? ((s, a, n) => this.nodes.targetedNodeIds(s, a, undefined, n)))(
        scope,
        record,
        REQUEST_RUN_TARGETS + 1,
      ));
    if (tooBigForRequest(record, nodeIds.length)) {
      const due = dueNow(record, clock);
      return { record: due, version: versionOf(due, now), deferred: true };
    }
    // Past the bound and still written here (an at(...) ahead), the targets are read whole.
    const run = await this.plan(scope, record, "Create", { ...checked, namedNodeIds: allRead(nodeIds) });
    return { record, version: versionOf(record, now), run };
  }

  /** The write of a prepared create: one transaction that also takes a slot of the account's limit. */
  async commit(scope: Scope, prepared: PreparedCreate): Promise<void> {
    await this.store.create(scope, withRun(prepared.record, prepared.run), prepared.version, this.limit, prepared.run);
    this.runs.dispatch(scope, prepared.run);
    if (prepared.run) countEvent("RunsStarted");
    if (prepared.deferred) this.runDeferred();
  }

  /**
   * The writes of a batch's prepared creates, packed into as few transactions as fit (the store's
   * createMany): per entry, nothing (created) or why not.
   */
  async commitMany(scope: Scope, prepared: readonly PreparedCreate[]) {
    const written = await this.store.createMany(
      scope,
      prepared.map((p) => ({ association: withRun(p.record, p.run), version: p.version, run: p.run })),
      this.limit,
    );
    // Each created association's first run is pushed as a single create's is (issue 28): its
    // command and first wave were written with it.
    prepared.forEach((p, i) => {
      if (written[i]) return;
      this.runs.dispatch(scope, p.run);
      if (p.run) countEvent("RunsStarted");
      if (p.deferred) this.runDeferred();
    });
    return written;
  }

  /** CreateAssociationBatch (./batch.ts: how its work per request is bounded). */
  async createBatch(scope: Scope, entries: CreateAssociationBatchRequestEntry[]) {
    return createBatch(this, scope, entries);
  }

  /** With node credentials, only an association that applies to the node (./node-view.ts). */
  async describe(scope: RequestContext, request: DescribeAssociationRequest): Promise<AssociationDescription> {
    assertOwnNode(scope, request.AssociationId ? undefined : request.InstanceId);
    const found = await this.find(scope, request);
    // Found by document and the caller's own node, a legacy association is the node's own:
    // only one found by id needs the node's targets checked.
    if (request.AssociationId && scope.principal.nodeId && !(await visibilityOf(scope, this.nodes))(found)) {
      throw associationNotFound(request.AssociationId);
    }
    const wanted = request.AssociationVersion;
    const [record = found] = await this.runs.withCurrentRuns(scope, [found]);
    if (wanted === undefined || wanted === "$LATEST" || Number(wanted) === record.AssociationVersion)
      return describe(record);
    const version = await this.store.getVersion(scope, record.AssociationId, Number(wanted));
    if (!version) throw invalidAssociationVersion(wanted);
    // That version's definition alone: a member it did not have is absent, not the head's.
    return describe({
      ...record,
      ...clearedDefinition(),
      ...definitionOf(version),
      AssociationVersion: version.AssociationVersion,
    });
  }

  async update(scope: Scope, request: UpdateAssociationRequest): Promise<AssociationDescription> {
    const id = request.AssociationId as string;
    const previous = await this.store.get(scope, id);
    if (!previous) throw associationNotFound(id);
    const wanted = request.AssociationVersion;
    if (wanted !== undefined && wanted !== "$LATEST" && Number(wanted) !== previous.AssociationVersion) {
      throw invalidAssociationVersion(wanted);
    }
    if (previous.VersionCount >= this.versionLimit) {
      throw new AssociationVersionLimitExceeded(
        `You have reached the maximum versions allowed for an association. Each association has a limit of ${this.versionLimit} versions.`,
      );
    }
    // An update replaces the definition: members it leaves out are cleared (the API reference's
    // note on UpdateAssociation), except the document, the targets and a legacy association's
    // node, which stay when not named. The note says Name is cleared too, but AWS's published
    // outputs keep Name and Targets (awscli/examples/ssm/update-association.rst examples 1 and 2,
    // the API_UpdateAssociation sample); we follow the outputs. Targets and TargetMaps exclude
    // each other, so TargetMaps given replaces the targets.
    const definition = definitionOf({
      ...request,
      Name: request.Name ?? previous.Name,
      Targets: request.Targets ?? (request.TargetMaps === undefined ? previous.Targets : undefined),
      InstanceId: previous.InstanceId,
    });
    if (previous.InstanceId) {
      if (request.Name !== undefined && resolveDocumentName(request.Name, scope) !== previous.DocumentName) {
        throw new InvalidUpdate("The document of an association created with an instance ID can't be changed.");
      }
      if (request.Targets !== undefined) {
        throw new InvalidUpdate("The targets of an association created with an instance ID can't be changed.");
      }
    }
    // The dates of the run the update's run replaces, read with the checks' reads (one batch):
    // every update runs unless ApplyOnlyAtCronInterval (below).
    const replaced = request.ApplyOnlyAtCronInterval ? undefined : this.runs.lastDates(scope, previous);
    replaced?.catch(() => undefined);
    // UpdateAssociation's model lists InvalidTarget for targets it cannot apply to, and neither
    // InvalidInstanceId nor UnsupportedPlatformType, which CreateAssociation answers for the
    // same checks: SDKs only know the listed errors (issue 15, item 5).
    const checked = await checkDefinition(this, scope, definition, previous.InstanceId !== undefined).catch(
      (error: unknown) => {
        if (error instanceof InvalidInstanceId || error instanceof UnsupportedPlatformType) {
          throw new InvalidTarget(error.message);
        }
        throw error;
      },
    );
    const clock = this.runs.clock();
    const now = clock.toISOString();
    const next: AssociationRecord = {
      ...previous,
      ...clearedDefinition(),
      ...checked.definition,
      AssociationVersion: previous.AssociationVersion + 1,
      VersionCount: previous.VersionCount + 1,
      DocumentName: checked.documentName,
      DocumentOwner: checked.owner,
      DocumentAccount: checked.shared?.ownerAccountId,
      DocumentShare: checked.shared?.grantee,
      LastUpdateAssociationDate: now,
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      Revision: previous.Revision + 1,
    };
    next.NextRunAt = scheduleChanged(previous, next) ? firstRun(next, clock) : previous.NextRunAt;
    // Every update runs it again at once, unless ApplyOnlyAtCronInterval: "When you update an
    // association, the association immediately runs against the specified targets. You can add
    // the ApplyOnlyAtCronInterval parameter to run the association during the next schedule run"
    // (the UpdateAssociation API reference's Important note), whatever the update changed.
    const runs = !next.ApplyOnlyAtCronInterval;
    // Its targets read only up to one past the bound of a run the request writes: a bigger run is
    // handed to the scheduler (runs.ts `tooBigToStartNow`), which reads them all. Until its tick
    // the run being replaced stays current (as a scheduled run replaces it).
    const nodeIds = runs
      ? (checked.namedNodeIds ?? (await this.nodes.targetedNodeIds(scope, next, undefined, REQUEST_RUN_TARGETS + 1)))
      : undefined;
    // A due run it keeps (handed over, or scheduled and not yet ticked) is this update's run
    // (runs.ts `isDue`): written here, it takes the due entry as the tick would; too big, the
    // head is written due and the tick writes it once, of the new definition. Both conditioned on
    // the head's revision, which the tick's run moves. A run written beside the due entry would
    // leave the tick to start one more.
    const due = isDue(next, clock);
    const deferred =
      nodeIds !== undefined &&
      (due ? nodeIds.length > REQUEST_RUN_TARGETS : tooBigToStartNow(next, nodeIds.length, clock));
    if (runs && due && !deferred) next.NextRunAt = afterDueRun(next, clock);
    // The run it replaces leaves its dates on the head (read above, with the checks).
    const [run, lastDates] =
      runs && !deferred
        ? await Promise.all([
            this.plan(scope, next, "Update", { ...checked, namedNodeIds: allRead(nodeIds) }),
            replaced,
          ])
        : [undefined, undefined];
    if (lastDates?.execution) next.LastExecutionDate = lastDates.execution;
    if (lastDates?.success) next.LastSuccessfulExecutionDate = lastDates.success;
    const written = deferred ? dueNow(next, clock) : withRun(next, run);
    await this.store.update(scope, previous, written, versionOf(next, now), run);
    this.runs.dispatch(scope, run);
    if (run) countEvent("RunsStarted");
    if (deferred) this.runDeferred();
    return describe(next);
  }

  async delete(scope: Scope, request: DeleteAssociationRequest): Promise<void> {
    await this.store.delete(scope, await this.find(scope, request));
  }

  /** With node credentials, only the associations that apply to the node (./node-view.ts). */
  async list(scope: RequestContext, request: ListAssociationsRequest) {
    const filters = (request.AssociationFilterList ?? []).map((filter) => ({
      key: filter.key as string,
      value: filter.value as string,
    }));
    const matches = (record: AssociationRecord) => filters.every((filter) => matchesFilter(record, filter));
    const nodeId = scope.principal.nodeId;
    if (nodeId) {
      // A node's credentials list the node's own associations: found by key, never by reading
      // every association of the account (./node-view.ts).
      const node = await this.nodes.managedNode(scope, nodeId);
      const mine = (await this.runs.withCurrentRuns(scope, await associationsOfNode(this.store, scope, node))).filter(
        matches,
      );
      const page = pageAfter(mine, (record) => record.AssociationId, request.MaxResults ?? 50, request.NextToken);
      return { Associations: page.items.map(listed), NextToken: page.nextToken };
    }
    const page = await filteredPage({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? 50,
      keyOf: (record: AssociationRecord) => record.AssociationId,
      matches,
      // A filter that matches few of the account's associations reads a bounded part of the
      // listing per request (issue 30), answering fewer than MaxResults and a NextToken.
      maxReads: LIST_READS,
      // Each page with its runs' totals, before the filters (status and dates come from them).
      fetch: async (after, limit) => {
        const page = await this.store.list(scope, after, limit);
        return { ...page, items: await this.runs.withCurrentRuns(scope, page.items) };
      },
    });
    return { Associations: page.items.map(listed), NextToken: page.nextToken };
  }

  async listVersions(scope: Scope, request: ListAssociationVersionsRequest) {
    const id = request.AssociationId as string;
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: number } => typeof value.after === "number",
    );
    if (!cursor && !(await this.store.get(scope, id))) throw associationNotFound(id);
    const page = await this.store.listVersions(scope, id, cursor?.after, request.MaxResults ?? 50);
    const last = page.items.at(-1);
    return {
      AssociationVersions: page.items.map(versionInfo),
      NextToken: page.more && last ? encodeToken({ after: last.AssociationVersion }) : undefined,
    };
  }

  /** The association by id, or for a legacy one by document name and node id. */
  async find(
    scope: Scope,
    request: { AssociationId?: string; Name?: string; InstanceId?: string },
  ): Promise<AssociationRecord> {
    const id = request.AssociationId;
    if (!id) {
      if (!request.Name || !request.InstanceId) {
        throw new ValidationException("Specify an AssociationId, or a Name and an InstanceId.");
      }
      // The pair's copy of the head: one read (store.ts legacyAssociation).
      const documentName = resolveDocumentName(request.Name, scope);
      const legacy = await this.store.legacyAssociation(scope, documentName, request.InstanceId);
      if (!legacy) throw legacyAssociationNotFound(request.Name, request.InstanceId);
      return legacy;
    }
    const record = await this.store.get(scope, id);
    if (!record) throw associationNotFound(id);
    return record;
  }

  /**
   * UpdateAssociationStatus: the status of a legacy association, named by its document and node.
   * The document and the node must exist; the same status again is StatusUnchanged. Node
   * credentials set their own node's status only (./node-view.ts), checked before any read.
   *
   * One read round trip and one write: the document, the node and the legacy pair go in one
   * BatchGetItem, and the pair is a copy of the association's head that carries the node's
   * target in the current run (store.ts legacyAssociation, records.ts RunTarget), so neither the
   * head nor the run is read. The write holds only if the head and the target are still as read
   * (its conditions); if not (a concurrent change of the association, or a release of the run
   * to the node since the head last changed, which leaves the copied target's `Released`
   * behind), the head and the target are read again and the write is tried once more. That is
   * rare: a race, or the few seconds between a run's release and the node's first report.
   */
  async updateStatus(scope: RequestContext, request: UpdateAssociationStatusRequest): Promise<AssociationDescription> {
    const name = request.Name as string;
    const instanceId = request.InstanceId as string;
    assertOwnNode(scope, instanceId);
    // Independent reads, together (one BatchGetItem: items.ts batchGet); their refusals in the
    // order AWS checks them: the document, the node, the association.
    const [exists, node, found] = await Promise.allSettled([
      this.documents.assertExists(scope, name),
      this.nodes.managedNode(scope, instanceId),
      this.find(scope, { Name: name, InstanceId: instanceId }),
    ]);
    if (exists.status === "rejected") throw exists.reason;
    if (node.status === "rejected") throw node.reason;
    if (found.status === "rejected") throw found.reason;
    const given = request.AssociationStatus as NonNullable<UpdateAssociationStatusRequest["AssociationStatus"]>;
    // AWS keeps the status date to the second (the seed's 1424421071.939 comes back as 1424421071.0).
    // (Validation turned the wire's epoch seconds into a Date; see shared/validation/validate.ts.)
    const statusDate = new Date(Math.floor((given.Date as Date).getTime() / 1000) * 1000).toISOString();
    const status = {
      Date: statusDate,
      Name: given.Name as string,
      Message: given.Message as string,
      ...(given.AdditionalInfo !== undefined ? { AdditionalInfo: given.AdditionalInfo } : {}),
    };
    const write = async (record: AssociationRecord, run: RunReport | TargetReport | undefined) => {
      if (record.Status?.Name === status.Name)
        throw new StatusUnchanged("The updated status is the same as the current status.");
      const now = this.runs.clock().toISOString();
      await this.store.setStatus(scope, record, status, now, run);
      const { RunTarget: _target, ...written } = record;
      return describe({ ...written, Status: status, LastUpdateAssociationDate: now, Revision: record.Revision + 1 });
    };
    const copy = found.value;
    const target = copy.CurrentExecutionId === copy.RunTarget?.ExecutionId ? copy.RunTarget : undefined;
    try {
      return await write(copy, target && this.runs.reportOn(target, status.Name, statusDate));
    } catch (error) {
      if (!(error instanceof TooManyUpdates)) throw error;
    }
    const record = await this.store.get(scope, copy.AssociationId);
    if (!record) throw associationNotFound(copy.AssociationId);
    return write(record, await this.runs.runReport(scope, record, instanceId, status.Name, statusDate));
  }

  private plan(
    scope: Scope,
    record: AssociationRecord,
    trigger: "Create" | "Update",
    checked: Pick<CheckedDefinition, "version" | "namedNodeIds" | "calendarContents">,
  ): Promise<PlannedExecution> {
    // What the checks already read is not read again: the document version (a pushed run's
    // command carries its content), the named nodes, the calendars.
    const { version } = checked;
    return this.runs.plan(scope, record, trigger, {
      runnable: { version: String(version.DocumentVersion), push: pushFormOf(version.Content), content: version },
      nodeIds: checked.namedNodeIds,
      calendarContents: checked.calendarContents,
    });
  }

  async association(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return this.store.get(scope, associationId);
  }
}
