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
import { SsmError } from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import type { Compliance } from "../compliance/compliance.ts";
import type { Documents } from "../documents/documents.ts";
import type { AgentRuns } from "../executions/agent-runs.ts";
import type { Executions } from "../executions/executions.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { assertAfterToken, pageAfter } from "../pagination.ts";
import { associationNotFound } from "./errors.ts";
import { associationsOfNode } from "./node-view.ts";
import type { AssociationRecord, AssociationTargetRecord } from "./records.ts";
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
    private readonly documents: Documents,
    private readonly nodes: Nodes,
    private readonly compliance: Compliance,
    private readonly runs: AgentRuns,
    private readonly executions: Pick<Executions, "runReport">,
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
   */
  async list(context: RequestContext, instanceId: string, maxResults = 50, nextToken?: string) {
    assertMayActFor(context.principal, instanceId);
    // The token first: telling a node to run (a write) must not happen for a refused request.
    assertAfterToken(nextToken);
    const node = await this.nodes.managedNode(context, instanceId);
    // The node's associations and its statuses at once: neither needs the other.
    const [applicable, reported] = await Promise.all([
      associationsOfNode(this.store, context, node),
      this.targets.targetsOfNode(context, instanceId),
    ]);
    const statuses = new Map(reported.map((t) => [t.AssociationId, t]));
    const states = await this.runs.states(context, node.InstanceId, applicable, new Set(statuses.keys()));
    const listed = applicable.filter((association) => states.get(association.AssociationId)?.kind !== "held");
    const page = pageAfter(listed, (a) => a.AssociationId, maxResults, nextToken);
    const checksums = new Map<string, string>();
    const Associations = [];
    for (const association of page.items) {
      const checksum = await this.checksum(context, association, checksums);
      const status = statuses.get(association.AssociationId);
      const state = states.get(association.AssociationId);
      const target = state?.kind === "held" ? undefined : state?.target;
      Associations.push({
        AssociationId: association.AssociationId,
        AssociationVersion: String(association.AssociationVersion),
        Checksum: checksum,
        DetailedStatus:
          state?.kind === "due" ? "Pending" : (target?.DetailedStatus ?? status?.DetailedStatus ?? "Pending"),
        DocumentVersion: association.DocumentVersion ?? "$DEFAULT",
        InstanceId: node.InstanceId,
        LastExecutionDate: status ? new Date(status.ExecutionDate) : undefined,
        Name: association.Name,
        OutputLocation: association.OutputLocation,
        Parameters: association.Parameters ?? {},
        Status: target?.Status ?? status?.Status ?? "Pending",
        Targets: association.Targets,
      });
    }
    return { Associations, NextToken: page.nextToken };
  }

  /** DescribeEffectiveInstanceAssociations: the associations that apply, with document content. */
  async effective(scope: Scope, request: DescribeEffectiveInstanceAssociationsRequest) {
    const { node, applicable } = await this.applicable(scope, request.InstanceId as string);
    const page = pageAfter(applicable, (a) => a.AssociationId, request.MaxResults ?? 5, request.NextToken);
    const Associations: InstanceAssociation[] = [];
    for (const association of page.items) {
      const { version } = await this.documents.forAssociation(scope, association.Name, association.DocumentVersion);
      Associations.push({
        AssociationId: association.AssociationId,
        InstanceId: node.InstanceId,
        Content: version.Content,
        AssociationVersion: String(association.AssociationVersion),
      });
    }
    return { Associations, NextToken: page.nextToken };
  }

  /** DescribeInstanceAssociationsStatus: the node's last status for each association, in one query. */
  async statuses(scope: Scope, request: DescribeInstanceAssociationsStatusRequest) {
    const instanceId = request.InstanceId as string;
    await this.nodes.managedNode(scope, instanceId);
    const targets = await this.targets.targetsOfNode(scope, instanceId);
    const page = pageAfter(targets, (t) => t.AssociationId, request.MaxResults ?? 50, request.NextToken);
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
   * UpdateInstanceAssociationStatus: one node's result for one association. The report and the
   * rollup are one transaction; a race with another report or an update is retried on fresh reads.
   */
  async report(
    context: RequestContext,
    associationId: string,
    instanceId: string,
    result: ExecutionResult,
  ): Promise<void> {
    assertMayActFor(context.principal, instanceId);
    await this.nodes.managedNode(context, instanceId);
    // A race with another report or an update is retried on fresh reads.
    const date = result.ExecutionDate.toISOString();
    await retry(
      async () => {
        const association = await this.store.get(context, associationId);
        if (!association) throw associationNotFound(associationId);
        const [previous, run] = await Promise.all([
          this.targets.getTarget(context, associationId, instanceId),
          this.executions.runReport(context, association, instanceId, result.Status, date),
        ]);
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
        await this.compliance.recordAssociationRun(
          context,
          instanceId,
          association,
          next.Status,
          next.ExecutionDate,
          async () => versionThatRan,
        );
      },
      isTooManyUpdates,
      8,
    );
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

  private async applicable(scope: Scope, instanceId: string) {
    const node = await this.nodes.managedNode(scope, instanceId);
    return { node, applicable: await associationsOfNode(this.store, scope, node) };
  }

  /** Changes whenever the document content that runs or the association's parameters change. */
  private async checksum(scope: Scope, association: AssociationRecord, cache: Map<string, string>): Promise<string> {
    const key = `${association.Name}@${association.DocumentVersion ?? "$DEFAULT"}`;
    let hash = cache.get(key);
    if (hash === undefined) {
      try {
        hash = (await this.documents.forAssociation(scope, association.Name, association.DocumentVersion)).version.Hash;
      } catch (error) {
        // The agent must always get an answer: a document gone missing only changes the checksum.
        if (!(error instanceof SsmError)) throw error;
        hash = "missing";
      }
      cache.set(key, hash);
    }
    return createHash("sha256")
      .update(JSON.stringify([hash, association.Parameters ?? {}]))
      .digest("hex");
  }
}
