/**
 * The node's side of State Manager, the loop the SSM Agent runs: which associations apply to a
 * node now (resolving InstanceIds, `*`, `tag:<key>` and `tag-key` targets against the node),
 * whether a run is due, and the statuses the node reports back, rolled up on each association.
 */
import { createHash } from "node:crypto";
import type {
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeInstanceAssociationsStatusRequest,
  InstanceAssociation,
  InstanceAssociationStatusInfo,
} from "@aws-sdk/client-ssm";
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import { SsmError, ThrottlingException } from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import type { Compliance } from "../compliance/compliance.ts";
import type { DocumentReader } from "../documents/reader.ts";
import type { AgentRuns, NodeRunState } from "../executions/agent-runs.ts";
import type { RunDispatch } from "../executions/dispatch.ts";
import { executionTime } from "../executions/execution-id.ts";
import type { Executions } from "../executions/executions.ts";
import { ERROR_STATUSES, FINAL_STATUSES, type RunReport } from "../executions/records.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { assertAfterToken, filteredPage, pageAfter } from "../pagination.ts";
import { associationNotFound, reportRaced } from "./errors.ts";
import { nodeAndAssociations } from "./node-view.ts";
import type { AssociationRecord, AssociationTargetRecord, NodeViewAssociation } from "./records.ts";
import type { AssociationStore, AssociationTargetStore } from "./store.ts";

export type ExecutionResult = {
  Status: string;
  ErrorCode?: string;
  /** Parsed from the wire's epoch seconds by validation. */
  ExecutionDate: Date;
  ExecutionSummary?: string;
  OutputUrl?: { S3OutputUrl?: { OutputUrl?: string } };
};

export class InstanceAssociations {
  constructor(
    private readonly store: AssociationStore,
    private readonly targets: AssociationTargetStore,
    private readonly documents: DocumentReader,
    private readonly nodes: Nodes,
    private readonly compliance: Compliance,
    private readonly runs: AgentRuns,
    private readonly executions: Pick<Executions, "runReport">,
    private readonly dispatch: Pick<RunDispatch, "handOver" | "withdrawIfStopped">,
  ) {}

  /**
   * ListInstanceAssociations: what the agent should apply, and which runs are due now
   * (`DetailedStatus: Pending`, which makes the agent run it at once). Rate controls decide which
   * nodes are told (../executions/agent-runs.ts); an association held back is not listed yet.
   *
   * ScheduleExpression is not handed to the agent: it would run cron and rate schedules on its
   * own clock (model.go, SetNextScheduledDate), outside MaxConcurrency and MaxErrors, and it can't
   * parse at(...) ("Unknown expression type"). Without one, it runs exactly when told Pending and
   * otherwise skips an association it has processed; the service's scheduler makes each run.
   *
   * LastExecutionDate is the date of the node's last report for the association (the InProgress
   * one while it runs), and, on an answer that tells it to run now, that moment: the node's run
   * starts now. The agent keeps the date it was told Pending with while it runs, and its
   * StuckAtInProgress check fails a run once that date is two hours old (processor.go
   * runScheduledAssociation, isAssociationTimedOut, checked at each signal: its 300 s health
   * ticker included); the previous run's date would fail a run of more than five minutes whose
   * previous run was two hours ago. ARCHITECTURE.md, "What the agent schedules on its own".
   */
  async list(context: RequestContext, instanceId: string, maxResults = 50, nextToken?: string) {
    assertMayActFor(context.principal, instanceId);
    // The token first: telling a node to run (a write) must not happen for a refused request.
    assertAfterToken(nextToken);
    // Round trip 1: the node, the index under its id and `*`, and the node's statuses (none
    // needs another); the index under its tags once the node answers; then every head at once.
    const [{ node, applicable }, reported] = await Promise.all([
      nodeAndAssociations(this.store, this.nodes, context, instanceId),
      this.targets.targetsOfNode(context, instanceId),
    ]);
    const statuses = new Map<string, AssociationTargetRecord>();
    for (const status of reported) statuses.set(status.AssociationId, status);
    // Then, in one batch: the node's target in each current run and the documents of the
    // associations that can be on this page (held ones are left out, so a page may need a few
    // more: read after, only then).
    const likelyPage = pageAfter(applicable, (a) => a.AssociationId, maxResults, nextToken).items;
    const [states, hashes] = await Promise.all([
      this.runs.states(context, node.InstanceId, applicable, new Set(statuses.keys())),
      this.documentHashes(context, likelyPage),
    ]);
    await this.recordSkipped(context, node.InstanceId, applicable, states, statuses);
    const listed = applicable.filter((association) => states.get(association.AssociationId)?.kind !== "held");
    const page = pageAfter(listed, (a) => a.AssociationId, maxResults, nextToken);
    const missing = page.items.filter((association) => !hashes.has(documentKey(association)));
    if (missing.length > 0)
      for (const [key, hash] of await this.documentHashes(context, missing)) hashes.set(key, hash);
    const now = this.runs.clock();
    const Associations = page.items.map((association) => {
      const status = statuses.get(association.AssociationId);
      const state = states.get(association.AssociationId);
      const target = state?.kind === "held" ? undefined : state?.target;
      return {
        AssociationId: association.AssociationId,
        AssociationVersion: String(association.AssociationVersion),
        Checksum: checksum(hashes.get(documentKey(association)) ?? "missing", association),
        DetailedStatus:
          state?.kind === "due" ? "Pending" : (target?.DetailedStatus ?? status?.DetailedStatus ?? "Pending"),
        DocumentVersion: association.DocumentVersion ?? "$DEFAULT",
        InstanceId: node.InstanceId,
        LastExecutionDate: state?.kind === "due" ? now : status ? new Date(status.ExecutionDate) : undefined,
        Name: association.Name,
        OutputLocation: association.OutputLocation,
        Parameters: association.Parameters ?? {},
        Status: target?.Status ?? status?.Status ?? "Pending",
        Targets: association.Targets,
      };
    });
    return { Associations, NextToken: page.nextToken };
  }

  /**
   * A node's turn in a run that will not come (the run stopped at MaxErrors, Duration or its
   * calendars' closing before it, or was skipped when due because a calendar was CLOSED) is
   * recorded as the node's status for the association, Skipped, so that the node's own views show
   * it (DescribeInstanceAssociationsStatus, DescribeInstanceInformation's AssociationStatus and
   * AssociationOverview: issue 29, defect 8), as a run the node did not make, with the reason.
   * The node's poll writes it, once per run, and only the node's own status item: the run and its
   * counts are untouched (its views derive the same Skipped).
   */
  private async recordSkipped(
    scope: Scope,
    instanceId: string,
    applicable: readonly NodeViewAssociation[],
    states: Map<string, NodeRunState>,
    statuses: Map<string, AssociationTargetRecord>,
  ): Promise<void> {
    const now = this.runs.clock().toISOString();
    await Promise.all(
      applicable.map(async (association) => {
        const state = states.get(association.AssociationId);
        if (state?.kind !== "skipped") return;
        const previous = statuses.get(association.AssociationId);
        const runStarted = executionTime(state.target.ExecutionId).toISOString();
        if (previous?.Status === "Skipped" && previous.ExecutionDate >= runStarted) return;
        const next: AssociationTargetRecord = {
          AssociationId: association.AssociationId,
          InstanceId: instanceId,
          Name: association.Name,
          DocumentVersion: previous?.DocumentVersion ?? association.DocumentVersion,
          AssociationName: association.AssociationName,
          AssociationVersion: association.AssociationVersion,
          Status: "Skipped",
          DetailedStatus: "Skipped",
          ExecutionDate: now,
          ExecutionSummary: SKIPPED_SUMMARY,
          LastSuccessfulExecutionDate: previous?.LastSuccessfulExecutionDate,
        };
        if (await this.targets.recordSkipped(scope, previous, next)) statuses.set(association.AssociationId, next);
      }),
    );
  }

  /**
   * DescribeEffectiveInstanceAssociations: the associations that apply, with document content
   * (the page's documents in one batch).
   */
  async effective(scope: Scope, request: DescribeEffectiveInstanceAssociationsRequest) {
    const { node, applicable } = await nodeAndAssociations(this.store, this.nodes, scope, request.InstanceId as string);
    const page = pageAfter(applicable, (a) => a.AssociationId, request.MaxResults ?? 5, request.NextToken);
    const versions = await Promise.all(
      distinctDocuments(page.items).map(async (association) => {
        const version = await this.documents.runnableVersion(scope, association.Name, association.DocumentVersion);
        return [documentKey(association), version.Content] as const;
      }),
    );
    const contents = new Map(versions);
    const Associations = page.items.map(
      (association): InstanceAssociation => ({
        AssociationId: association.AssociationId,
        InstanceId: node.InstanceId,
        Content: contents.get(documentKey(association)),
        AssociationVersion: String(association.AssociationVersion),
      }),
    );
    return { Associations, NextToken: page.nextToken };
  }

  /**
   * DescribeInstanceAssociationsStatus: the node's last status for each association, in one
   * query, read with the node (one round trip).
   */
  async statuses(scope: Scope, request: DescribeInstanceAssociationsStatusRequest) {
    const instanceId = request.InstanceId as string;
    // One page of the node's statuses by key (GSI1, in association id order), read with the node.
    const [, page] = await Promise.all([
      this.nodes.managedNode(scope, instanceId),
      filteredPage({
        nextToken: request.NextToken,
        limit: request.MaxResults ?? 50,
        keyOf: (t: AssociationTargetRecord) => t.AssociationId,
        matches: () => true,
        fetch: (after, limit) => this.targets.targetsOfNodePage(scope, instanceId, after, limit),
      }),
    ]);
    return {
      InstanceAssociationStatusInfos: page.items.map(
        (t): InstanceAssociationStatusInfo => ({
          AssociationId: t.AssociationId,
          Name: t.Name,
          DocumentVersion: t.DocumentVersion,
          AssociationVersion: String(t.AssociationVersion),
          InstanceId: t.InstanceId,
          ExecutionDate: new Date(t.ExecutionDate),
          Status: t.Status,
          DetailedStatus: t.DetailedStatus,
          ExecutionSummary: t.ExecutionSummary,
          ErrorCode: t.ErrorCode,
          OutputUrl: t.OutputUrl ? { S3OutputUrl: { OutputUrl: t.OutputUrl } } : undefined,
          AssociationName: t.AssociationName,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  /**
   * UpdateInstanceAssociationStatus: one node's result for one association. The report writes
   * only the node's own items (and its run's shard: the target store says why that never refuses
   * another node's report). A race with the node's own other report, or with an edit of a legacy
   * association's head, is retried here on fresh reads, and answered as throttling (which the
   * agent retries) only if every attempt lost: never TooManyUpdates, which the agent drops.
   */
  async report(
    context: RequestContext,
    associationId: string,
    instanceId: string,
    result: ExecutionResult,
  ): Promise<void> {
    assertMayActFor(context.principal, instanceId);
    await this.record(context, associationId, instanceId, result);
  }

  /**
   * A node's result for one association, from its agent (report) or from the command that
   * carried a pushed run (./pushed-runs.ts, which names the run: `runId`). A final result of a
   * pushed run's target hands its slot to the next target of its chain.
   */
  async record(
    context: Scope,
    associationId: string,
    instanceId: string,
    result: ExecutionResult,
    runId?: string,
  ): Promise<void> {
    let ended: RunReport["next"] | undefined;
    const date = result.ExecutionDate.toISOString();
    // The node (checked once), the head and the node's last status at once: their keys are all
    // known; then the run and the node's target in it, which the head names (issue 26: a report
    // is 3 round trips and its transaction, not 5).
    let nodeChecked = false;
    await retry(
      async () => {
        const [association, previous] = await Promise.all([
          this.store.get(context, associationId),
          this.targets.getTarget(context, associationId, instanceId),
          nodeChecked ? undefined : this.nodes.managedNode(context, instanceId),
        ]);
        nodeChecked = true;
        if (!association) throw associationNotFound(associationId);
        const run = await this.executions.runReport(context, association, instanceId, result.Status, date, runId);
        // A pushed target the poll path took over is the agent's to report: its command says nothing.
        if (runId && run?.previous.Polled) return;
        // The version that ran ("1", not "$DEFAULT"): the run's resolved one, read from the
        // document only when no run recorded it.
        const versionThatRan = run?.execution.DocumentVersion ?? (await this.versionThatRan(context, association));
        const next: AssociationTargetRecord = {
          AssociationId: associationId,
          InstanceId: instanceId,
          Name: association.Name,
          DocumentVersion: versionThatRan,
          AssociationName: association.AssociationName,
          AssociationVersion: association.AssociationVersion,
          Status: result.Status,
          DetailedStatus: result.Status,
          ExecutionDate: date,
          ExecutionSummary: result.ExecutionSummary,
          ErrorCode: result.ErrorCode,
          OutputUrl: result.OutputUrl?.S3OutputUrl?.OutputUrl,
          LastSuccessfulExecutionDate: result.Status === "Success" ? date : previous?.LastSuccessfulExecutionDate,
        };
        await this.targets.reportTarget(context, association, previous, next, run);
        if (run?.next.Pushed && FINAL_STATUSES.has(result.Status)) ended = run.next;
        await this.compliance.recordAssociationRun(
          context,
          instanceId,
          association,
          next.Status,
          next.ExecutionDate,
          async () => versionThatRan,
        );
      },
      isLostRace,
      8,
    ).catch((error) => {
      throw isLostRace(error) ? reportRaced() : error;
    });
    if (ended) await this.dispatch.handOver(context, ended);
    // An error that stopped the run: what it released and no node has taken yet never starts.
    if (ended && ERROR_STATUSES.has(result.Status)) {
      const withdrawn = await this.dispatch.withdrawIfStopped(context, ended);
      for (const node of withdrawn) {
        await this.record(
          context,
          associationId,
          node,
          {
            Status: "Skipped",
            ExecutionDate: result.ExecutionDate,
            ExecutionSummary: "The run stopped on MaxErrors before this node took it.",
          },
          ended.ExecutionId,
        );
      }
    }
  }

  /** The concrete document version an association runs ("1", not $DEFAULT), for its compliance item. */
  private async versionThatRan(scope: Scope, association: AssociationRecord): Promise<string> {
    try {
      return String(await this.documents.versionNumber(scope, association.Name, association.DocumentVersion));
    } catch (error) {
      // A document deleted since the run: the item keeps the association's own version.
      if (!(error instanceof SsmError)) throw error;
      return association.DocumentVersion ?? "$DEFAULT";
    }
  }

  /**
   * The content hash of the version each association's document runs, by `documentKey`: every
   * document read at once (one batch with whatever else this turn reads), nothing parsed. A
   * document gone missing hashes as "missing": the agent must always get an answer, and only
   * the checksum changes.
   */
  private async documentHashes(scope: Scope, associations: readonly DocumentRef[]): Promise<Map<string, string>> {
    const documents = distinctDocuments(associations);
    const hashes = await this.documents.versionHashes(
      scope,
      documents.map((association) => ({ nameOrArn: association.Name, documentVersion: association.DocumentVersion })),
    );
    return new Map(documents.map((association, i) => [documentKey(association), hashes[i] ?? "missing"]));
  }
}

/** Why a node's status reads Skipped (ours: AWS publishes none for a run that left a node out). */
const SKIPPED_SUMMARY =
  "The association's run did not start on this node: it stopped before the node's turn (MaxErrors, Duration) or its Change Calendars were not OPEN. The node runs it at the association's next run.";

/** Which document an association runs: its name and DocumentVersion. */
type DocumentRef = Pick<AssociationRecord, "Name" | "DocumentVersion">;

/** Which document version an association runs, as a key: its name and DocumentVersion. */
const documentKey = (association: DocumentRef): string =>
  `${association.Name}@${association.DocumentVersion ?? "$DEFAULT"}`;

/** One association per document version, so each is read once. */
function distinctDocuments<T extends DocumentRef>(associations: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const association of associations) {
    const key = documentKey(association);
    if (!seen.has(key)) seen.set(key, association);
  }
  return [...seen.values()];
}

/** Changes whenever the document content that runs or the association's parameters change. */
function checksum(
  hash: string,
  association: Pick<AssociationRecord, "AssociationId" | "Revision" | "Parameters">,
): string {
  // The head's Revision changes with every write of it, so (id, revision) names one parameters
  // value: an entry for the id holds while the hash and the revision are the ones it was made
  // for, without serializing the parameters on every poll.
  const cached = checksums.get(association.AssociationId);
  if (cached && cached.hash === hash && cached.revision === association.Revision) return cached.digest;
  const digest = createHash("sha256")
    .update(JSON.stringify([hash, association.Parameters ?? {}]))
    .digest("hex");
  if (checksums.size >= MAX_CHECKSUMS) checksums.clear();
  checksums.set(association.AssociationId, { hash, revision: association.Revision, digest });
  return digest;
}

/**
 * The checksums this process computed, by association id: a pure function of the document's
 * hash and the association's parameters, so an entry is used only for the hash and head Revision
 * it was made for (a changed document or head replaces it). Every poll of every node asks for
 * the same few dozen, and hashing them again was a fifth of a poll's own time. Bounded: cleared
 * when full.
 */
const checksums = new Map<string, { hash: string; revision: number; digest: string }>();
const MAX_CHECKSUMS = 5_000;

/**
 * A write of the node's that lost a race: its report (reportRaced) or its compliance item (the
 * compliance store's TooManyUpdates for two writes of the node's own item at once).
 */
const isLostRace = (error: unknown) => error instanceof ThrottlingException || isTooManyUpdates(error);
