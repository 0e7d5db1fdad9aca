/** Associations as the store keeps them: a head with the latest definition, and one item per version. */
import type {
  AlarmConfiguration,
  AssociationComplianceSeverity,
  AssociationOverview,
  AssociationSyncCompliance,
  InstanceAssociationOutputLocation,
  Tag,
  Target,
  TargetLocation,
} from "@aws-sdk/client-ssm";
import type { ExecutionTargetRecord } from "../executions/records.ts";

/** What one version of an association says: everything a create or an update can set. */
export type AssociationDefinition = {
  /** The document as the caller named it (a name or an ARN). */
  Name: string;
  DocumentVersion?: string;
  InstanceId?: string;
  Parameters?: Record<string, string[]>;
  Targets?: Target[];
  ScheduleExpression?: string;
  ScheduleOffset?: number;
  ApplyOnlyAtCronInterval: boolean;
  AssociationName?: string;
  MaxConcurrency?: string;
  MaxErrors?: string;
  ComplianceSeverity?: AssociationComplianceSeverity;
  SyncCompliance?: AssociationSyncCompliance;
  OutputLocation?: InstanceAssociationOutputLocation;
  AutomationTargetParameterName?: string;
  CalendarNames?: string[];
  TargetLocations?: TargetLocation[];
  TargetMaps?: Record<string, string[]>[];
  AlarmConfiguration?: AlarmConfiguration;
  Duration?: number;
  AssociationDispatchAssumeRole?: string;
};

export type AssociationRecord = AssociationDefinition & {
  AssociationId: string;
  AssociationVersion: number;
  VersionCount: number;
  /** The plain name of the document, whose reference count this association holds. */
  DocumentName: string;
  /** Whether the document is the account's own (counted) or AWS-owned (never deleted, not counted). */
  DocumentOwner: "Self" | "Amazon" | "Shared";
  /** For a document shared with this account: the owner's account id, and the share used (this account's id or "all"). */
  DocumentAccount?: string;
  DocumentShare?: string;
  /** ISO-8601 */
  Date: string;
  LastUpdateAssociationDate: string;
  Overview: AssociationOverview;
  /** Legacy (InstanceId) associations only. */
  Status?: { Date: string; Name: string; Message: string; AdditionalInfo?: string };
  LastExecutionDate?: string;
  LastSuccessfulExecutionDate?: string;
  Tags: Tag[];
  /** Bumped by every change: the optimistic-concurrency token of updates. */
  Revision: number;
  /**
   * How many targets of the current run are in each status, as a run starts. A legacy
   * association's one node's reports move it here; any other association's rollup is summed
   * from its current run's counter shards when read (./runs.ts withRunTotals), so nodes'
   * reports never write the head (issue 26).
   */
  StatusCounts?: Record<string, number>;
  /** The run whose targets the nodes' reports land on (shared/domain/executions/). */
  CurrentExecutionId?: string;
  /** How many counter shards the current run has (absent for a run written before issue 26). */
  RunShards?: number;
  /** ISO-8601: when the scheduler starts the next run; absent without a schedule or once at(...) ran. */
  NextRunAt?: string;
  /**
   * Legacy (InstanceId) associations only: the node's target in the current run, as every change
   * of the head that writes it left it (a run started, a report, a join), so that
   * UpdateAssociationStatus knows it without reading it. A hint, checked by the conditions of
   * the write that uses it: a release (ListInstanceAssociations telling the node to run) sets
   * the target's `Released` without changing the head, so this copy may still say false.
   */
  RunTarget?: ExecutionTargetRecord;
};

/**
 * What a node's view (ListInstanceAssociations, DescribeEffectiveInstanceAssociations) reads of
 * each head, and all the store reads of it there: a head also carries its overview, status
 * counts, tags, schedule, listing and the legacy run target, which no node's poll needs, and
 * the poll reads every head that applies to the node.
 */
export const NODE_VIEW_ATTRIBUTES = [
  "AssociationId",
  "AssociationVersion",
  "Revision",
  "Name",
  "DocumentName",
  "DocumentVersion",
  "InstanceId",
  "Targets",
  "Parameters",
  "OutputLocation",
  "CurrentExecutionId",
  "RunShards",
  "ApplyOnlyAtCronInterval",
  "CalendarNames",
  "AssociationName",
] as const;
export type NodeViewAssociation = Pick<AssociationRecord, (typeof NODE_VIEW_ATTRIBUTES)[number]>;

/** The last status one node reported for one association. */
export type AssociationTargetRecord = {
  AssociationId: string;
  InstanceId: string;
  /** Copied from the association when the status arrives, so a node's statuses list in one read. */
  Name: string;
  DocumentVersion?: string;
  AssociationName?: string;
  /** The association version that ran. */
  AssociationVersion: number;
  Status: string;
  DetailedStatus: string;
  /** ISO-8601 */
  ExecutionDate: string;
  ExecutionSummary?: string;
  ErrorCode?: string;
  OutputUrl?: string;
  /** ISO-8601: the node's last Success for this association (DescribeInstanceInformation). */
  LastSuccessfulExecutionDate?: string;
};

export type AssociationVersionRecord = AssociationDefinition & {
  AssociationId: string;
  AssociationVersion: number;
  /** ISO-8601 */
  CreatedDate: string;
};
