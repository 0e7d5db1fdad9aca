/**
 * The node's side of State Manager, the loop the SSM Agent runs: which associations apply to a
 * node now (resolving InstanceIds, `*`, `tag:<key>` and `tag-key` targets against the node),
 * whether a run is due, and the statuses the node reports back, rolled up on each association.
 */
import { createHash } from "node:crypto";
import type { InstanceAssociation, InstanceAssociationStatusInfo } from "@aws-sdk/client-ssm";
import { assertMayActFor } from "../../auth/authenticate.ts";
import { InvalidInstanceId, SsmError, TooManyUpdates } from "../../errors.ts";
import type { RequestContext, Scope } from "../../protocol/request-context.ts";
import { associationNotFound, type DynamoAssociationStore } from "../../store/association-store.ts";
import type { Compliance } from "../compliance/compliance.ts";
import type { Documents } from "../documents/documents.ts";
import type { AgentRuns } from "../executions/agent-runs.ts";
import type { Executions } from "../executions/executions.ts";
import type { Nodes } from "../nodes/nodes.ts";
import type { NodeRecord } from "../nodes/records.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import type { AssociationRecord, AssociationTargetRecord } from "./records.ts";

export type ExecutionResult = {
  Status: string;
  ErrorCode?: string;
  ExecutionDate: number | string;
  ExecutionSummary?: string;
  OutputUrl?: { S3OutputUrl?: { OutputUrl?: string } };
};

/** Whether an association's targets name this node. */
export function appliesTo(association: AssociationRecord, node: NodeRecord): boolean {
  if (association.InstanceId) return association.InstanceId === node.InstanceId;
  return (association.Targets ?? []).some((target) => {
    const values = target.Values ?? [];
    const key = target.Key ?? "";
    if (key === "InstanceIds") return values.includes("*") || values.includes(node.InstanceId);
    if (key === "tag-key") return node.Tags.some((tag) => values.includes(tag.Key as string));
    if (key.startsWith("tag:")) {
      const tagKey = key.slice(4);
      return node.Tags.some((tag) => tag.Key === tagKey && values.includes(tag.Value as string));
    }
    return false;
  });
}

const toIso = (value: number | string) => new Date(typeof value === "number" ? value * 1000 : value).toISOString();

export class InstanceAssociations {
  constructor(
    private readonly store: DynamoAssociationStore,
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
    const { node, applicable } = await this.applicable(context, instanceId);
    const statuses = new Map((await this.store.targetsOfNode(context, instanceId)).map((t) => [t.AssociationId, t]));
    const states = await this.runs.states(context, node.InstanceId, applicable, new Set(statuses.keys()));
    const listed = applicable.filter((association) => states.get(association.AssociationId)?.kind !== "held");
    const page = this.page(listed, maxResults, nextToken);
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
  async effective(scope: Scope, instanceId: string, maxResults = 5, nextToken?: string) {
    const { node, applicable } = await this.applicable(scope, instanceId);
    const page = this.page(applicable, maxResults, nextToken);
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
  async statuses(scope: Scope, instanceId: string, maxResults = 50, nextToken?: string) {
    await this.node(scope, instanceId);
    const targets = await this.store.targetsOfNode(scope, instanceId);
    const cursor = decodeToken(nextToken, (value): value is { after: string } => typeof value.after === "string");
    const remaining = targets.filter((t) => !cursor || t.AssociationId > cursor.after);
    const items = remaining.slice(0, maxResults);
    const last = items.at(-1);
    return {
      InstanceAssociationStatusInfos: items.map(
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
      NextToken: remaining.length > maxResults && last ? encodeToken({ after: last.AssociationId }) : undefined,
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
    await this.node(context, instanceId);
    const date = toIso(result.ExecutionDate);
    for (let attempt = 1; ; attempt++) {
      const association = await this.store.get(context, associationId);
      if (!association) throw associationNotFound(associationId);
      const [previous, run] = await Promise.all([
        this.store.getTarget(context, associationId, instanceId),
        this.executions.runReport(context, association, instanceId, result.Status, date),
      ]);
      const next: AssociationTargetRecord = {
        AssociationId: associationId,
        InstanceId: instanceId,
        Name: association.Name,
        // The version that ran: the run's resolved one ("1"), not "$DEFAULT".
        DocumentVersion: run?.execution.DocumentVersion ?? (await this.documentVersion(context, association)),
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
      try {
        await this.store.reportTarget(context, association, previous, next, run);
        await this.compliance.recordAssociationRun(context, instanceId, association, next.Status, next.ExecutionDate);
        return;
      } catch (error) {
        if (!(error instanceof TooManyUpdates) || attempt >= 8) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  private async documentVersion(scope: Scope, association: AssociationRecord): Promise<string | undefined> {
    try {
      const { version } = await this.documents.forAssociation(scope, association.Name, association.DocumentVersion);
      return String(version.DocumentVersion);
    } catch (error) {
      if (!(error instanceof SsmError)) throw error;
      return association.DocumentVersion;
    }
  }

  private async node(scope: Scope, instanceId: string): Promise<NodeRecord> {
    const [node] = await this.nodes.nodesByIds(scope, [instanceId]);
    if (!node) throw new InvalidInstanceId(`Instance ${instanceId} is not a managed node of this account.`);
    return node;
  }

  private async applicable(scope: Scope, instanceId: string) {
    const node = await this.node(scope, instanceId);
    const applicable = (await this.store.all(scope)).filter((association) => appliesTo(association, node));
    return { node, applicable };
  }

  private page(associations: AssociationRecord[], maxResults: number, nextToken?: string) {
    const cursor = decodeToken(nextToken, (value): value is { after: string } => typeof value.after === "string");
    const remaining = associations.filter((a) => !cursor || a.AssociationId > cursor.after);
    const items = remaining.slice(0, maxResults);
    const last = items.at(-1);
    return {
      items,
      nextToken: remaining.length > maxResults && last ? encodeToken({ after: last.AssociationId }) : undefined,
    };
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
