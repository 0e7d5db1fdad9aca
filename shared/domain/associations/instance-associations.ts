/**
 * The node's side of State Manager, the loop the SSM Agent runs: which associations apply to a
 * node now (resolving InstanceIds, `*`, `tag:<key>` and `tag-key` targets against the node),
 * whether a run is due, and the statuses the node reports back, rolled up on each association.
 */
import { createHash } from "node:crypto";
import type { InstanceAssociation, InstanceAssociationStatusInfo } from "@aws-sdk/client-ssm";
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import { SsmError } from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import type { Compliance } from "../compliance/compliance.ts";
import type { Documents } from "../documents/documents.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { pageAfter } from "../pagination.ts";
import { appliesTo } from "../targets.ts";
import { associationNotFound } from "./errors.ts";
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
  ) {}

  /** ListInstanceAssociations: what the agent should apply, and whether each run is due now. */
  async list(context: RequestContext, instanceId: string, maxResults = 50, nextToken?: string) {
    assertMayActFor(context.principal, instanceId);
    const { node, applicable } = await this.applicable(context, instanceId);
    const statuses = new Map((await this.targets.targetsOfNode(context, instanceId)).map((t) => [t.AssociationId, t]));
    const page = pageAfter(applicable, (a) => a.AssociationId, maxResults, nextToken);
    const checksums = new Map<string, string>();
    const Associations = [];
    for (const association of page.items) {
      const checksum = await this.checksum(context, association, checksums);
      const status = statuses.get(association.AssociationId);
      Associations.push({
        AssociationId: association.AssociationId,
        AssociationVersion: String(association.AssociationVersion),
        Checksum: checksum,
        DetailedStatus: this.isDue(association, status) ? "Pending" : (status?.DetailedStatus ?? "Pending"),
        DocumentVersion: association.DocumentVersion ?? "$DEFAULT",
        InstanceId: node.InstanceId,
        LastExecutionDate: status ? new Date(status.ExecutionDate) : undefined,
        Name: association.Name,
        OutputLocation: association.OutputLocation,
        Parameters: association.Parameters ?? {},
        ScheduleExpression: association.ScheduleExpression,
        Status: status?.Status ?? "Pending",
        Targets: association.Targets,
      });
    }
    return { Associations, NextToken: page.nextToken };
  }

  /** DescribeEffectiveInstanceAssociations: the associations that apply, with document content. */
  async effective(scope: Scope, instanceId: string, maxResults = 5, nextToken?: string) {
    const { node, applicable } = await this.applicable(scope, instanceId);
    const page = pageAfter(applicable, (a) => a.AssociationId, maxResults, nextToken);
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
    await this.nodes.managedNode(scope, instanceId);
    const targets = await this.targets.targetsOfNode(scope, instanceId);
    const page = pageAfter(targets, (t) => t.AssociationId, maxResults, nextToken);
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
    await retry(async () => {
      const association = await this.store.get(context, associationId);
      if (!association) throw associationNotFound(associationId);
      const previous = await this.targets.getTarget(context, associationId, instanceId);
      const next: AssociationTargetRecord = {
        AssociationId: associationId,
        InstanceId: instanceId,
        Name: association.Name,
        DocumentVersion: association.DocumentVersion,
        AssociationName: association.AssociationName,
        AssociationVersion: association.AssociationVersion,
        Status: result.Status,
        DetailedStatus: result.Status,
        ExecutionDate: result.ExecutionDate.toISOString(),
        ExecutionSummary: result.ExecutionSummary,
        ErrorCode: result.ErrorCode,
        OutputUrl: result.OutputUrl?.S3OutputUrl?.OutputUrl,
      };
      await this.targets.reportTarget(context, association, previous, next);
      await this.compliance.recordAssociationRun(
        context,
        instanceId,
        association,
        next.Status,
        next.ExecutionDate,
        () => this.versionThatRan(context, association),
      );
    }, isTooManyUpdates);
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
    const applicable = (await this.store.all(scope)).filter((association) => appliesTo(association, node));
    return { node, applicable };
  }

  /**
   * A run is due when the node has not run the association yet (unless it waits for its cron
   * interval), or ran an older version of it: an update changes what runs.
   */
  private isDue(association: AssociationRecord, status: AssociationTargetRecord | undefined): boolean {
    if (!status) return !association.ApplyOnlyAtCronInterval;
    return status.AssociationVersion < association.AssociationVersion && !association.ApplyOnlyAtCronInterval;
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
