/**
 * Configuration compliance for managed nodes: PutComplianceItems (COMPLETE replaces a type's
 * items, PARTIAL merges them by Id), ListComplianceItems, ListResourceComplianceSummaries and
 * ListComplianceSummaries, and the `Association` compliance type that State Manager keeps itself for associations whose
 * SyncCompliance is AUTO.
 */
import type {
  ComplianceItem,
  ListComplianceItemsRequest,
  ListComplianceSummariesRequest,
  ListResourceComplianceSummariesRequest,
  PutComplianceItemsRequest,
  ResourceComplianceSummaryItem,
  SeveritySummary,
} from "@aws-sdk/client-ssm";
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import {
  ComplianceTypeCountLimitExceededException,
  InvalidFilter,
  InvalidResourceType,
  ItemSizeLimitExceededException,
  ThrottlingException,
} from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { invalidResourceId } from "../errors.ts";
import type { Nodes } from "../nodes/nodes.ts";
import type { NodeRecord } from "../nodes/records.ts";
import { pageAt } from "../pagination.ts";
import { complianceFilter, type FilterKey } from "./filters.ts";
import { type ComplianceItemRecord, type ComplianceRecord, tallyOf } from "./records.ts";
import { SEVERITY_ORDER, severityField, zeroSeverities } from "./severities.ts";
import type { ComplianceStore } from "./store.ts";
import { complianceSummaries } from "./summaries.ts";

/** "You can specify a maximum of 10 different types" of custom compliance per resource. */
const MAX_CUSTOM_TYPES = 10;

/**
 * One item's size, as stored: the store splits a type's items across DynamoDB items (400 KB
 * each) however many there are (issue 15, item 3: the model's 10,000 items in one upload are
 * valid), but one compliance item must fit one of them. Above this, the operation's listed
 * ItemSizeLimitExceededException ("The inventory item size has exceeded the size limit").
 */
const MAX_ITEM_BYTES = 256 * 1024;

function assertItemsFit(items: readonly unknown[]): void {
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item), "utf8");
    if (bytes > MAX_ITEM_BYTES) {
      throw new ItemSizeLimitExceededException(
        `The compliance item of ${bytes} bytes exceeds the size limit of ${MAX_ITEM_BYTES} bytes.`,
      );
    }
  }
}

/** ListComplianceItems' keys: those AWS's examples use (CLI list-compliance-items examples: ComplianceType, Id,
 * ExecutionTime; user guide sysman-compliance-walk: DocumentName, Status, Severity), and the item's other
 * members an example filters on elsewhere (ExecutionId, ExecutionType, Title). */
const ITEM_FILTER_KEYS: Record<string, FilterKey<ComplianceItem>> = {
  ComplianceType: { kind: "text", read: (item) => item.ComplianceType },
  Id: { kind: "text", read: (item) => item.Id },
  Title: { kind: "text", read: (item) => item.Title },
  Status: { kind: "text", read: (item) => item.Status },
  Severity: { kind: "text", read: (item) => item.Severity },
  DocumentName: { kind: "text", read: (item) => item.Details?.DocumentName },
  ExecutionId: { kind: "text", read: (item) => item.ExecutionSummary?.ExecutionId },
  ExecutionType: { kind: "text", read: (item) => item.ExecutionSummary?.ExecutionType },
  ExecutionTime: { kind: "time", read: (item) => item.ExecutionSummary?.ExecutionTime?.toISOString() },
};

type SummaryRow = { record: ComplianceRecord; node?: NodeRecord };

/** The node tag AWS reads a patch group from ("Patch Group", or "PatchGroup" where spaces can't be used). */
const patchGroup = (node?: NodeRecord) =>
  node?.Tags.find((tag) => tag.Key === "Patch Group" || tag.Key === "PatchGroup")?.Value;

/** ListComplianceSummaries' keys, from the user guide (sysman-compliance-walk: ComplianceType,
 * AWS:InstanceInformation.PlatformType, PatchGroup, ExecutionId) and the CLI example
 * (`Key=ComplianceType,Values=Patch,Type=EQUAL`), plus ExecutionType by analogy. */
const SUMMARY_FILTER_KEYS: Record<string, FilterKey<SummaryRow>> = {
  ComplianceType: { kind: "text", read: (row) => row.record.ComplianceType },
  ExecutionId: { kind: "text", read: (row) => row.record.ExecutionSummary.ExecutionId },
  ExecutionType: { kind: "text", read: (row) => row.record.ExecutionSummary.ExecutionType },
  "AWS:InstanceInformation.PlatformType": { kind: "text", read: (row) => row.node?.PlatformType },
  PatchGroup: { kind: "text", read: (row) => patchGroup(row.node) },
};
const NODE_FILTER_KEYS = ["AWS:InstanceInformation.PlatformType", "PatchGroup"];

export class Compliance {
  constructor(
    private readonly store: ComplianceStore,
    private readonly nodes: Nodes,
  ) {}

  async put(scope: RequestContext, request: PutComplianceItemsRequest): Promise<void> {
    const resourceType = request.ResourceType as string;
    const resourceId = request.ResourceId as string;
    assertMayActFor(scope.principal, resourceId);
    if (resourceType !== "ManagedInstance") {
      throw new InvalidResourceType(`The resource type ${resourceType} is not supported. Use ManagedInstance.`);
    }
    if ((await this.nodes.nodesByIds(scope, [resourceId])).length === 0) {
      throw invalidResourceId(resourceId);
    }
    assertItemsFit(request.Items ?? []);
    const summary = request.ExecutionSummary as NonNullable<PutComplianceItemsRequest["ExecutionSummary"]>;
    const items = (request.Items ?? []).map((item) => ({
      Id: item.Id,
      Title: item.Title,
      Severity: item.Severity as string,
      Status: item.Status as ComplianceItemRecord["Status"],
      Details: item.Details,
    }));
    await this.write(
      scope,
      resourceType,
      resourceId,
      request.ComplianceType as string,
      request.UploadType === "PARTIAL",
      {
        // A Date: validation parses the wire's epoch seconds (shared/validation/validate.ts).
        ExecutionTime: (summary.ExecutionTime as Date).toISOString(),
        ExecutionId: summary.ExecutionId,
        ExecutionType: summary.ExecutionType,
      },
      items,
      request.ItemContentHash,
    );
  }

  /**
   * What State Manager records when a node reports an association run and the association syncs
   * compliance automatically: one item per association, COMPLIANT when the run succeeded.
   */
  async recordAssociationRun(
    scope: Scope,
    instanceId: string,
    association: AssociationRecord,
    status: string,
    executionTime: string,
    versionThatRan: () => Promise<string>,
  ) {
    if (association.SyncCompliance === "MANUAL" || !["Success", "Failed", "TimedOut"].includes(status)) return;
    const documentVersion = await versionThatRan();
    await this.write(
      scope,
      "ManagedInstance",
      instanceId,
      "Association",
      true,
      // The item as AWS's published output shows it (awscli/examples/ssm/list-compliance-items.rst):
      // Title "", an ExecutionSummary with only ExecutionTime, and Details naming the document and
      // the version that ran ("1", never $DEFAULT or $LATEST).
      { ExecutionTime: executionTime },
      [
        {
          Id: association.AssociationId,
          Title: "",
          Severity: association.ComplianceSeverity ?? "UNSPECIFIED",
          Status: status === "Success" ? "COMPLIANT" : "NON_COMPLIANT",
          Details: { DocumentName: association.Name, DocumentVersion: documentVersion },
        },
      ],
    );
  }

  async listItems(scope: Scope, request: ListComplianceItemsRequest) {
    const records = await this.records(scope, request.ResourceIds, request.ResourceTypes, true);
    const matches = complianceFilter(request.Filters, ITEM_FILTER_KEYS);
    const items: ComplianceItem[] = records.flatMap((record) =>
      record.Items.map((item) => ({
        ComplianceType: record.ComplianceType,
        ResourceType: record.ResourceType,
        ResourceId: record.ResourceId,
        Id: item.Id,
        Title: item.Title,
        Status: item.Status,
        Severity: item.Severity as ComplianceItem["Severity"],
        ExecutionSummary: {
          ...record.ExecutionSummary,
          ExecutionTime: new Date(record.ExecutionSummary.ExecutionTime),
        },
        Details: item.Details,
      })),
    );
    return this.paged(items.filter(matches), request.MaxResults, request.NextToken, "ComplianceItems");
  }

  /** ListComplianceSummaries: the account's resources counted per compliance type. */
  async listComplianceSummaries(scope: Scope, request: ListComplianceSummariesRequest) {
    const matches = complianceFilter(request.Filters, SUMMARY_FILTER_KEYS);
    const records = await this.records(scope, undefined, undefined);
    // Node facts (platform, patch group) are read only when a filter asks for them: one batch read.
    const needsNodes = (request.Filters ?? []).some((filter) => NODE_FILTER_KEYS.includes(filter.Key as string));
    const nodes = needsNodes
      ? new Map(
          (await this.nodes.nodesByIds(scope, [...new Set(records.map((r) => r.ResourceId))])).map((node) => [
            node.InstanceId,
            node,
          ]),
        )
      : new Map();
    const rows = records
      .map((record) => ({ record, node: nodes.get(record.ResourceId) }))
      .filter(matches)
      .map(({ record }) => summarize(record));
    return this.paged(complianceSummaries(rows), request.MaxResults, request.NextToken, "ComplianceSummaryItems");
  }

  async listSummaries(scope: Scope, request: ListResourceComplianceSummariesRequest) {
    const records = await this.records(scope, undefined, undefined);
    const filters = this.filters(request.Filters, [
      "ComplianceType",
      "Status",
      "OverallSeverity",
      "ResourceId",
      "ResourceType",
    ]);
    const summaries = records.map((record) => summarize(record));
    const matching = summaries.filter((summary) =>
      filters.every((filter) => filter.test((summary as Record<string, unknown>)[filter.key] as string)),
    );
    return this.paged(matching, request.MaxResults, request.NextToken, "ResourceComplianceSummaryItems");
  }

  private async write(
    scope: Scope,
    resourceType: string,
    resourceId: string,
    complianceType: string,
    partial: boolean,
    executionSummary: ComplianceRecord["ExecutionSummary"],
    items: ComplianceItemRecord[],
    contentHash?: string,
  ): Promise<void> {
    // A race with another upload of the same resource is retried on fresh reads.
    await retry(async () => {
      const existing = await this.store.ofResource(scope, resourceType, resourceId);
      const previous = existing.find((record) => record.ComplianceType === complianceType);
      // "If the content hashes match, the request to put compliance information is ignored"
      // (PutComplianceItems' API reference, ItemContentHash): nothing is written, not even the
      // execution time. Decided on this consistent read, which the write needs anyway: the request
      // takes effect as of the read, so a concurrent upload cannot make it wrong, and it costs no
      // write (a write conditioned on "hash differs" would bill its units even when refused).
      if (contentHash && previous?.ItemContentHash === contentHash) return;
      const customTypes = new Set(
        [...existing.map((record) => record.ComplianceType), complianceType].filter((type) =>
          type.startsWith("Custom:"),
        ),
      );
      if (customTypes.size > MAX_CUSTOM_TYPES) {
        throw new ComplianceTypeCountLimitExceededException(
          `You specified too many custom compliance types. You can specify a maximum of ${MAX_CUSTOM_TYPES} different types.`,
        );
      }
      const merged = partial && previous ? mergeById(previous.Items, items) : items;
      await this.store.put(
        scope,
        {
          ResourceId: resourceId,
          ResourceType: resourceType,
          ComplianceType: complianceType,
          ExecutionSummary: executionSummary,
          Items: merged,
          Tally: tallyOf(merged),
          ...(contentHash ? { ItemContentHash: contentHash } : {}),
          Revision: (previous?.Revision ?? 0) + 1,
        },
        previous,
        existing,
      );
    }, isTooManyUpdates).catch((error) => {
      // PutComplianceItems lists no TooManyUpdates, and its callers are mostly agents, whose SDK
      // retries throttling (issue 26): a write that lost every attempt is answered so.
      throw isTooManyUpdates(error) ? new ThrottlingException("Rate exceeded") : error;
    });
  }

  private async records(
    scope: Scope,
    resourceIds: string[] | undefined,
    resourceTypes: string[] | undefined,
    withItems = false,
  ) {
    const types = resourceTypes ?? ["ManagedInstance"];
    if (resourceIds) {
      const all = await Promise.all(
        types.flatMap((type) => resourceIds.map((id) => this.store.ofResource(scope, type, id))),
      );
      return all.flat();
    }
    return (await this.store.all(scope, { withItems })).filter((record) => types.includes(record.ResourceType));
  }

  private filters(filters: ListComplianceItemsRequest["Filters"], keys: string[]) {
    return (filters ?? []).map((filter) => {
      const key = filter.Key as string;
      if (!keys.includes(key))
        throw new InvalidFilter(`The filter key ${key} is not valid. Valid keys: ${keys.join(", ")}.`);
      const values = filter.Values ?? [];
      const type = filter.Type ?? "EQUAL";
      const test = (value: string | undefined) => {
        if (value === undefined) return type === "NOT_EQUAL";
        if (type === "EQUAL") return values.includes(value);
        if (type === "NOT_EQUAL") return !values.includes(value);
        if (type === "BEGIN_WITH") return values.some((v) => value.startsWith(v));
        if (type === "LESS_THAN") return values.some((v) => value < v);
        return values.some((v) => value > v);
      };
      return { key, test };
    });
  }

  private paged<T, K extends string>(
    all: T[],
    maxResults: number | undefined,
    nextToken: string | undefined,
    member: K,
  ) {
    const page = pageAt(all, maxResults ?? 50, nextToken);
    return { [member]: page.items, NextToken: page.nextToken } as Record<K, T[]> & { NextToken?: string };
  }
}

function mergeById(existing: ComplianceItemRecord[], added: ComplianceItemRecord[]): ComplianceItemRecord[] {
  const byId = new Map(existing.map((item, i) => [item.Id ?? `#${i}`, item]));
  for (const [i, item] of added.entries()) byId.set(item.Id ?? `#new${i}`, item);
  return [...byId.values()];
}

function summarize(record: ComplianceRecord): ResourceComplianceSummaryItem {
  // The counts written with the items (a head listed without its chunked items still has them).
  const tally = record.Tally ?? tallyOf(record.Items);
  const severities = (counts: Record<string, number>): SeveritySummary => {
    const summary = zeroSeverities();
    for (const [severity, count] of Object.entries(counts)) summary[severityField(severity)] += count;
    return summary;
  };
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const compliant = total(tally.Compliant);
  const nonCompliant = total(tally.NonCompliant);
  const worst = Object.keys(nonCompliant > 0 ? tally.NonCompliant : tally.Compliant).sort(
    (a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b),
  )[0];
  return {
    ComplianceType: record.ComplianceType,
    ResourceType: record.ResourceType,
    ResourceId: record.ResourceId,
    Status: nonCompliant > 0 ? "NON_COMPLIANT" : "COMPLIANT",
    OverallSeverity: (worst ?? "UNSPECIFIED") as ResourceComplianceSummaryItem["OverallSeverity"],
    ExecutionSummary: { ...record.ExecutionSummary, ExecutionTime: new Date(record.ExecutionSummary.ExecutionTime) },
    CompliantSummary: { CompliantCount: compliant, SeveritySummary: severities(tally.Compliant) },
    NonCompliantSummary: { NonCompliantCount: nonCompliant, SeveritySummary: severities(tally.NonCompliant) },
  };
}
