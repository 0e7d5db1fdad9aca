/**
 * State Manager associations: what a create, update, describe, list or delete means, checked
 * the way AWS checks it. The invariants (uniqueness, the account limit, the document guard) are
 * held by the store's transactions; this module decides what to write.
 */
import { randomUUID } from "node:crypto";
import type {
  Association,
  AssociationDescription,
  AssociationOverview,
  AssociationVersionInfo,
  CreateAssociationBatchRequestEntry,
  CreateAssociationRequest,
  DeleteAssociationRequest,
  DescribeAssociationRequest,
  FailedCreateAssociation,
  ListAssociationsRequest,
  ListAssociationVersionsRequest,
  Tag,
  Target,
  UpdateAssociationRequest,
  UpdateAssociationStatusRequest,
} from "@aws-sdk/client-ssm";
import {
  AssociationDoesNotExist,
  AssociationVersionLimitExceeded,
  DuplicateInstanceId,
  InvalidAssociationVersion,
  InvalidDocument,
  InvalidInstanceId,
  InvalidTag,
  InvalidTarget,
  InvalidTargetMaps,
  InvalidUpdate,
  SsmError,
  StatusUnchanged,
  UnsupportedPlatformType,
  ValidationException,
} from "../../errors.ts";
import type { Scope } from "../../protocol/request-context.ts";
import { associationNotFound, type DynamoAssociationStore } from "../../store/association-store.ts";
import type { Documents } from "../documents/documents.ts";
import { resolveDocumentName } from "../documents/names.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { decodeToken, encodeToken, filteredPage } from "../pagination.ts";
import { initialTags } from "../tags.ts";
import { validateOutputLocation } from "./output-location.ts";
import { validateParameters } from "./parameters.ts";
import type { AssociationDefinition, AssociationRecord, AssociationVersionRecord } from "./records.ts";
import { validateSchedule } from "./schedule.ts";

/** AWS's quota: 2,000 active associations per account and Region (ASSOCIATION_LIMIT lowers it for tests). */
export const ASSOCIATION_LIMIT = 2000;
export const ASSOCIATION_VERSION_LIMIT = 1000;
const ASSOCIABLE_TYPES = new Set(["Command", "Automation", "Policy"]);
/** Members a legacy (InstanceId) association can't have, per the CreateAssociation reference. */
const NOT_WITH_INSTANCE_ID = [
  "AssociationName",
  "DocumentVersion",
  "MaxErrors",
  "MaxConcurrency",
  "OutputLocation",
  "ScheduleExpression",
] as const;
const TAG_TARGET = /^tag:.+/;

type Request = CreateAssociationRequest | CreateAssociationBatchRequestEntry;

export class Associations {
  constructor(
    private readonly store: DynamoAssociationStore,
    private readonly documents: Documents,
    private readonly nodes: Nodes,
    private readonly limit: number = ASSOCIATION_LIMIT,
    private readonly versionLimit: number = ASSOCIATION_VERSION_LIMIT,
  ) {}

  async create(scope: Scope, request: Request & { Tags?: Tag[] }): Promise<AssociationDescription> {
    const checked = await this.check(scope, definitionOf(request));
    const now = new Date().toISOString();
    const associationId = randomUUID();
    const record: AssociationRecord = {
      ...checked.definition,
      AssociationId: associationId,
      AssociationVersion: 1,
      VersionCount: 1,
      DocumentName: checked.documentName,
      DocumentOwner: checked.owner,
      Date: now,
      LastUpdateAssociationDate: now,
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      ...(checked.definition.InstanceId
        ? { Status: { Date: now, Name: "Associated", Message: `Associated with ${checked.definition.Name}` } }
        : {}),
      Tags: tagsOf((request as CreateAssociationRequest).Tags),
      Revision: 0,
    };
    await this.store.create(scope, record, versionOf(record, now), this.limit);
    return describe(record);
  }

  /**
   * Each entry is created on its own: a failure is reported with its entry and never undoes
   * another entry's success. A managed node named by the InstanceId of more than one entry
   * fails those entries with DuplicateInstanceId.
   */
  async createBatch(scope: Scope, entries: CreateAssociationBatchRequestEntry[]) {
    const counts = new Map<string, number>();
    for (const entry of entries)
      if (entry.InstanceId) counts.set(entry.InstanceId, (counts.get(entry.InstanceId) ?? 0) + 1);
    const Successful: AssociationDescription[] = [];
    const Failed: FailedCreateAssociation[] = [];
    for (const entry of entries) {
      try {
        if (entry.InstanceId && (counts.get(entry.InstanceId) ?? 0) > 1) {
          throw new DuplicateInstanceId("You can't specify a managed node ID in more than one association.");
        }
        Successful.push(await this.create(scope, entry));
      } catch (error) {
        if (!(error instanceof SsmError)) throw error;
        Failed.push({ Entry: entry, Message: error.message || error.code, Fault: error.fault });
      }
    }
    return { Successful, Failed };
  }

  async describe(scope: Scope, request: DescribeAssociationRequest): Promise<AssociationDescription> {
    const record = await this.find(scope, request);
    const wanted = request.AssociationVersion;
    if (wanted === undefined || wanted === "$LATEST" || Number(wanted) === record.AssociationVersion)
      return describe(record);
    const version = await this.store.getVersion(scope, record.AssociationId, Number(wanted));
    if (!version) throw invalidAssociationVersion(wanted);
    return describe({ ...record, ...definitionOf(version), AssociationVersion: version.AssociationVersion });
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
    // An update replaces the definition: members it leaves out are cleared, as AWS does,
    // except the document, which stays when not named.
    const definition = definitionOf({
      ...request,
      Name: request.Name ?? previous.Name,
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
    // UpdateAssociation's model lists InvalidTarget for targets it cannot apply to, and neither
    // InvalidInstanceId nor UnsupportedPlatformType, which CreateAssociation answers for the
    // same checks: SDKs only know the listed errors (issue 15, item 5).
    const checked = await this.check(scope, definition, previous.InstanceId !== undefined).catch((error: unknown) => {
      if (error instanceof InvalidInstanceId || error instanceof UnsupportedPlatformType) {
        throw new InvalidTarget(error.message);
      }
      throw error;
    });
    const now = new Date().toISOString();
    const next: AssociationRecord = {
      ...previous,
      ...clearedDefinition(),
      ...checked.definition,
      AssociationVersion: previous.AssociationVersion + 1,
      VersionCount: previous.VersionCount + 1,
      DocumentName: checked.documentName,
      DocumentOwner: checked.owner,
      LastUpdateAssociationDate: now,
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      Revision: previous.Revision + 1,
    };
    await this.store.update(scope, previous, next, versionOf(next, now));
    return describe(next);
  }

  async delete(scope: Scope, request: DeleteAssociationRequest): Promise<void> {
    await this.store.delete(scope, await this.find(scope, request));
  }

  async list(scope: Scope, request: ListAssociationsRequest) {
    const filters = (request.AssociationFilterList ?? []).map((filter) => ({
      key: filter.key as string,
      value: filter.value as string,
    }));
    const matches = (record: AssociationRecord) => filters.every((filter) => matchesFilter(record, filter));
    const page = await filteredPage({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? 50,
      keyOf: (record: AssociationRecord) => record.AssociationId,
      matches,
      fetch: (after, limit) => this.store.list(scope, after, limit),
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
    let id = request.AssociationId;
    if (!id) {
      if (!request.Name || !request.InstanceId) {
        throw new ValidationException("Specify an AssociationId, or a Name and an InstanceId.");
      }
      const documentName = resolveDocumentName(request.Name, scope);
      id = await this.store.legacyAssociationId(scope, documentName, request.InstanceId);
      if (!id) {
        throw new AssociationDoesNotExist(
          `Association with document ${request.Name} and instance ${request.InstanceId} does not exist.`,
        );
      }
    }
    const record = await this.store.get(scope, id);
    if (!record) throw associationNotFound(id);
    return record;
  }

  /**
   * UpdateAssociationStatus: the status of a legacy association, named by its document and node.
   * The document and the node must exist; the same status again is StatusUnchanged.
   */
  async updateStatus(scope: Scope, request: UpdateAssociationStatusRequest): Promise<AssociationDescription> {
    const name = request.Name as string;
    const instanceId = request.InstanceId as string;
    await this.documents.assertExists(scope, name);
    if ((await this.nodes.nodesByIds(scope, [instanceId])).length === 0) {
      throw new InvalidInstanceId(`Instance ${instanceId} is not a managed node of this account.`);
    }
    const record = await this.find(scope, { Name: name, InstanceId: instanceId });
    const given = request.AssociationStatus as NonNullable<UpdateAssociationStatusRequest["AssociationStatus"]>;
    if (record.Status?.Name === given.Name)
      throw new StatusUnchanged("The updated status is the same as the current status.");
    // AWS keeps the status date to the second (the seed's 1424421071.939 comes back as 1424421071.0).
    // (Validation turned the wire's epoch seconds into a Date; see shared/validation/validate.ts.)
    const statusDate = new Date(Math.floor((given.Date as Date).getTime() / 1000) * 1000);
    const status = {
      Date: statusDate.toISOString(),
      Name: given.Name as string,
      Message: given.Message as string,
      ...(given.AdditionalInfo !== undefined ? { AdditionalInfo: given.AdditionalInfo } : {}),
    };
    const now = new Date().toISOString();
    await this.store.setStatus(scope, record, status, now);
    return describe({ ...record, Status: status, LastUpdateAssociationDate: now, Revision: record.Revision + 1 });
  }

  async association(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return this.store.get(scope, associationId);
  }

  async putTags(scope: Scope, record: AssociationRecord, tags: Tag[]): Promise<void> {
    await this.store.putTags(scope, record, tags);
  }

  /**
   * Everything AWS checks before it writes: the members that go together, the document (type,
   * version, schema for legacy associations), the parameters against the document, the
   * schedule, the output location, the targets, and the platform of each named node.
   */
  private async check(scope: Scope, definition: AssociationDefinition, legacyUpdate = false) {
    const legacy = definition.InstanceId;
    if (legacy && !legacyUpdate) {
      // The reference says these can't be used with InstanceId; it names no error code, so the
      // request is refused as malformed.
      const clash = NOT_WITH_INSTANCE_ID.filter((member) => definition[member] !== undefined);
      if (clash.length > 0) {
        throw new ValidationException(`InstanceId can't be used together with ${clash.join(", ")}.`);
      }
      if (definition.Targets?.length || definition.TargetMaps?.length) {
        throw new ValidationException("InstanceId can't be used together with Targets or TargetMaps.");
      }
    }
    if (definition.TargetMaps?.length && definition.Targets?.length) {
      throw new InvalidTargetMaps("Both Targets and TargetMaps can't be specified together.");
    }
    const resolved = await this.documents.forAssociation(scope, definition.Name, definition.DocumentVersion);
    const { document, version } = resolved;
    if (!ASSOCIABLE_TYPES.has(document.DocumentType)) {
      throw new InvalidDocument(`Document type ${document.DocumentType} is not supported by associations.`);
    }
    if (legacy && version.SchemaVersion !== "1.2") {
      throw new InvalidDocument(
        `Document schema version, ${version.SchemaVersion}, is not supported by association that is created with instance id`,
      );
    }
    if (
      !legacy &&
      !definition.Targets?.length &&
      !definition.TargetMaps?.length &&
      document.DocumentType !== "Automation"
    ) {
      throw new InvalidTarget("Instance ID or targets must be specified");
    }
    validateParameters(resolved.parameterDefinitions, definition.Parameters);
    validateSchedule({
      expression: definition.ScheduleExpression,
      offset: definition.ScheduleOffset,
      applyOnlyAtCronInterval: definition.ApplyOnlyAtCronInterval,
    });
    validateOutputLocation(definition.OutputLocation);
    const instanceIds = legacy ? [legacy] : this.checkTargets(definition.Targets ?? []);
    if (instanceIds.length > 0) {
      const found = await this.nodes.nodesByIds(scope, instanceIds);
      const missing = instanceIds.filter((id) => !found.some((node) => node.InstanceId === id));
      if (missing.length > 0)
        throw new InvalidInstanceId(`Instances [${missing.join(", ")}] are not managed nodes of this account.`);
      const unsupported = found.filter(
        (node) =>
          node.PlatformType && version.PlatformTypes.length > 0 && !version.PlatformTypes.includes(node.PlatformType),
      );
      if (document.DocumentType === "Command" && unsupported.length > 0) {
        throw new UnsupportedPlatformType(
          `The document ${document.Name} doesn't support the platform type of managed nodes [${unsupported.map((n) => `${n.InstanceId} (${n.PlatformType})`).join(", ")}].`,
        );
      }
    }
    const targets = legacy ? [{ Key: "InstanceIds", Values: [legacy] }] : definition.Targets;
    return {
      definition: { ...definition, Targets: targets, DocumentVersion: definition.DocumentVersion ?? "$DEFAULT" },
      documentName: document.Name,
      owner: resolved.owner,
    };
  }

  /** Target keys this service supports; returns the node ids that InstanceIds targets name. */
  private checkTargets(targets: Target[]): string[] {
    const ids: string[] = [];
    for (const target of targets) {
      const key = target.Key ?? "";
      const values = target.Values ?? [];
      if (values.length === 0) throw new InvalidTarget(`Target ${key} must have at least one value.`);
      if (key === "InstanceIds") {
        if (values.includes("*")) {
          if (values.length > 1) throw new InvalidTarget("InstanceIds=* can't be combined with other instance IDs.");
          continue;
        }
        for (const id of values) {
          if (!/^(i-(\w{8}|\w{17})|mi-\w{17})$/.test(id)) throw new InvalidInstanceId(`Instance ${id} is not valid.`);
          ids.push(id);
        }
      } else if (key.startsWith("resource-groups:")) {
        throw new InvalidTarget("Unsupported Target Type: resource groups are not supported by this service.");
      } else if (!TAG_TARGET.test(key) && key !== "tag-key" && key !== "ParameterValues") {
        throw new InvalidTarget("Unsupported Target Type");
      }
    }
    return ids;
  }
}

const invalidAssociationVersion = (version: string) =>
  new InvalidAssociationVersion(
    `Association version ${version} is not valid. Use ListAssociationVersions to view all versions of an association according to the association ID. Or, use the $LATEST parameter to view the latest version of the association.`,
  );

function tagsOf(tags: Tag[] | undefined): Tag[] {
  for (const tag of tags ?? []) {
    if (tag.Key?.toLowerCase().startsWith("aws:"))
      throw new InvalidTag(`Tag keys starting with "aws:" are reserved (${tag.Key}).`);
  }
  return initialTags(tags);
}

const DEFINITION_MEMBERS = [
  "Name",
  "DocumentVersion",
  "InstanceId",
  "Parameters",
  "Targets",
  "ScheduleExpression",
  "ScheduleOffset",
  "ApplyOnlyAtCronInterval",
  "AssociationName",
  "MaxConcurrency",
  "MaxErrors",
  "ComplianceSeverity",
  "SyncCompliance",
  "OutputLocation",
  "AutomationTargetParameterName",
  "CalendarNames",
  "TargetLocations",
  "TargetMaps",
  "AlarmConfiguration",
  "Duration",
  "AssociationDispatchAssumeRole",
] as const;

/** The definition members of a request, and nothing else. */
function definitionOf(request: Partial<Record<(typeof DEFINITION_MEMBERS)[number], unknown>>): AssociationDefinition {
  const definition: Record<string, unknown> = {};
  for (const member of DEFINITION_MEMBERS) if (request[member] !== undefined) definition[member] = request[member];
  definition.ApplyOnlyAtCronInterval = request.ApplyOnlyAtCronInterval === true;
  return definition as AssociationDefinition;
}

/** Every definition member set to undefined: an update starts from nothing. */
function clearedDefinition(): Partial<AssociationDefinition> {
  return Object.fromEntries(DEFINITION_MEMBERS.map((member) => [member, undefined]));
}

function versionOf(record: AssociationRecord, createdDate: string): AssociationVersionRecord {
  return {
    ...definitionOf(record),
    AssociationId: record.AssociationId,
    AssociationVersion: record.AssociationVersion,
    CreatedDate: createdDate,
  };
}

const date = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

/**
 * The overview AWS shows: as set by a create or an update until the first status arrives, then
 * rolled up from the per-status target counts that each report keeps on the association.
 */
export function overviewOf(record: AssociationRecord): AssociationOverview {
  const counts = Object.fromEntries(Object.entries(record.StatusCounts ?? {}).filter(([, count]) => count > 0));
  if (record.Overview.DetailedStatus === "Creating" || Object.keys(counts).length === 0) return record.Overview;
  const status =
    counts.Failed || counts.TimedOut ? "Failed" : counts.Pending || counts.InProgress ? "Pending" : "Success";
  return { Status: status, DetailedStatus: record.Overview.DetailedStatus, AssociationStatusAggregatedCount: counts };
}

function describe(record: AssociationRecord): AssociationDescription {
  return {
    ...definitionOf(record),
    AssociationId: record.AssociationId,
    AssociationVersion: String(record.AssociationVersion),
    Date: new Date(record.Date),
    LastUpdateAssociationDate: new Date(record.LastUpdateAssociationDate),
    Overview: overviewOf(record),
    Status: record.Status
      ? ({ ...record.Status, Date: new Date(record.Status.Date) } as AssociationDescription["Status"])
      : undefined,
    LastExecutionDate: date(record.LastExecutionDate),
    LastSuccessfulExecutionDate: date(record.LastSuccessfulExecutionDate),
    TargetMaps: record.TargetMaps,
  };
}

function listed(record: AssociationRecord): Association {
  return {
    Name: record.Name,
    InstanceId: record.InstanceId,
    AssociationId: record.AssociationId,
    AssociationVersion: String(record.AssociationVersion),
    DocumentVersion: record.DocumentVersion,
    Targets: record.Targets,
    LastExecutionDate: date(record.LastExecutionDate),
    Overview: overviewOf(record),
    ScheduleExpression: record.ScheduleExpression,
    AssociationName: record.AssociationName,
    ScheduleOffset: record.ScheduleOffset,
    Duration: record.Duration,
    TargetMaps: record.TargetMaps,
  };
}

function versionInfo(version: AssociationVersionRecord): AssociationVersionInfo {
  const {
    InstanceId: _legacy,
    AutomationTargetParameterName: _a,
    AlarmConfiguration: _b,
    ...fields
  } = definitionOf(version);
  return {
    ...fields,
    AssociationId: version.AssociationId,
    AssociationVersion: String(version.AssociationVersion),
    CreatedDate: new Date(version.CreatedDate),
  };
}

/** ListAssociations filters; InstanceId matches legacy associations only, as AWS documents. */
function matchesFilter(record: AssociationRecord, filter: { key: string; value: string }): boolean {
  switch (filter.key) {
    case "InstanceId":
      return record.InstanceId === filter.value;
    case "Name":
      return record.DocumentName === filter.value || record.Name === filter.value;
    case "AssociationId":
      return record.AssociationId === filter.value;
    case "AssociationStatusName":
      return overviewOf(record).Status === filter.value;
    case "AssociationName":
      return record.AssociationName === filter.value;
    case "LastExecutedBefore":
      return (
        record.LastExecutionDate !== undefined && new Date(record.LastExecutionDate) < parseFilterDate(filter.value)
      );
    case "LastExecutedAfter":
      return (
        record.LastExecutionDate !== undefined && new Date(record.LastExecutionDate) > parseFilterDate(filter.value)
      );
    case "ResourceGroupName":
      return (record.Targets ?? []).some((t) => t.Key === "resource-groups:Name" && t.Values?.includes(filter.value));
    default:
      return false;
  }
}

function parseFilterDate(value: string): Date {
  const parsed = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new ValidationException(`The date ${value} is not valid.`);
  return parsed;
}
