/**
 * Inventory: what a node's agent collects (PutInventory, usually from the AWS-GatherSoftwareInventory
 * association) and what a user reads of it (ListInventoryEntries, GetInventory). Checks are AWS's:
 * type names, schema versions, Context only where AWS takes one, ContentHash to skip unchanged
 * data (and ItemContentMismatchException when a hash-only item does not match what is stored, so
 * the agent resends the full item), the size limits and the custom type limit.
 */
import type {
  GetInventoryRequest,
  InventoryFilter,
  ListInventoryEntriesRequest,
  PutInventoryRequest,
} from "@aws-sdk/client-ssm";
import { assertMayActFor, type RequestContext } from "../../context.ts";
import { ThrottlingException } from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import { nodeNotFound } from "../nodes/errors.ts";
import type { NodeRecord } from "../nodes/records.ts";
import { decodeToken, encodeToken, filteredPage } from "../pagination.ts";
import {
  aggregatorsNotSupported,
  contentMismatch,
  contextNotAllowed,
  customSchemaLimit,
  duplicateType,
  invalidContext,
  invalidFilterKey,
  invalidResultAttribute,
  invalidTypeName,
  itemTooLarge,
  totalTooLarge,
  unsupportedSchemaVersion,
} from "./errors.ts";
import { entryMatches } from "./filters.ts";
import type { InventoryEntry, InventoryTypeRecord, InventoryWrite } from "./records.ts";
import {
  AWS_TYPES,
  CALL_MAX_BYTES,
  CONTEXT_KEYS,
  CONTEXT_TYPE,
  CUSTOM_ITEM_MAX_BYTES,
  CUSTOM_TYPE_LIMIT,
  isCustomType,
} from "./schemas.ts";
import type { InventoryStore } from "./store.ts";

/** Whether a managed node exists in the caller's account and Region. */
export type NodeLookup = (context: RequestContext, instanceId: string) => Promise<boolean>;
/** The account's managed nodes a page at a time, in instance id order. */
export type NodeListing = (
  context: RequestContext,
  after: string | undefined,
  limit: number,
) => Promise<{ items: NodeRecord[]; more: boolean }>;

const DEFAULT_RESULT_TYPE = "AWS:InstanceInformation";

function checkTypeName(typeName: string): void {
  if (!isCustomType(typeName) && !AWS_TYPES.has(typeName)) throw invalidTypeName(typeName);
}

/** `<TypeName>.<Attribute>`: the type part may itself contain a colon, the attribute does not. */
function splitFilterKey(key: string): { typeName: string; attribute: string } {
  const dot = key.lastIndexOf(".");
  if (dot <= 0 || dot === key.length - 1) throw invalidFilterKey(key);
  const typeName = key.slice(0, dot);
  if (!/^(AWS|Custom):/.test(typeName)) throw invalidFilterKey(key);
  checkTypeName(typeName);
  return { typeName, attribute: key.slice(dot + 1) };
}

export class Inventory {
  constructor(
    private readonly store: InventoryStore,
    private readonly nodeExists: NodeLookup,
    private readonly customTypeLimit = CUSTOM_TYPE_LIMIT,
    private readonly listNodes: NodeListing = async () => ({ items: [], more: false }),
  ) {}

  /** PutInventory: checks every item first, then writes the node's changed types in one transaction. */
  async put(context: RequestContext, request: PutInventoryRequest): Promise<{ Message?: string }> {
    const instanceId = request.InstanceId as string;
    assertMayActFor(context.principal, instanceId);
    const items = request.Items ?? [];
    const seen = new Set<string>();
    let total = 0;
    for (const item of items) {
      const typeName = item.TypeName as string;
      if (seen.has(typeName)) throw duplicateType(typeName);
      seen.add(typeName);
      checkTypeName(typeName);
      const supported = AWS_TYPES.get(typeName);
      // A hash-only item's SchemaVersion is not its own when the agent sends it: the agent's
      // loop gives every hash-only item the last gathered item's (ConvertToSsmInventoryItems in
      // agent/plugins/inventory/datauploader/uploader.go takes &item.SchemaVersion of a loop
      // variable shared by the whole loop under its module's go 1.21), so an unchanged node's
      // second run would be refused for good (the agent resends only on a content mismatch).
      // It stands for data already stored, checked by its hash below (issue 29, defect 5).
      if (supported && item.Content && item.SchemaVersion !== supported) {
        throw unsupportedSchemaVersion(typeName, item.SchemaVersion as string, supported);
      }
      if (item.Context && Object.keys(item.Context).length > 0) {
        if (typeName !== CONTEXT_TYPE) throw contextNotAllowed(typeName);
        for (const key of Object.keys(item.Context)) if (!CONTEXT_KEYS.has(key)) throw invalidContext(key);
      }
      const bytes = item.Content ? Buffer.byteLength(JSON.stringify(item.Content)) : 0;
      if (isCustomType(typeName) && bytes > CUSTOM_ITEM_MAX_BYTES) {
        throw itemTooLarge(typeName, bytes, CUSTOM_ITEM_MAX_BYTES);
      }
      total += bytes;
    }
    if (total > CALL_MAX_BYTES) throw totalTooLarge(total, CALL_MAX_BYTES);
    if (!(await this.nodeExists(context, instanceId))) {
      throw nodeNotFound(instanceId);
    }

    // Many nodes put inventory at once, and the first puts of a new custom type race to register
    // it (one item and the account's counter): a lost race is read again and retried here, and
    // answered as throttling (which the agent retries) only if every attempt lost (issue 26).
    await retry(async () => {
      const stored = new Map((await this.store.typesOfNode(context, instanceId)).map((r) => [r.TypeName, r]));
      const writes: InventoryWrite[] = [];
      for (const item of items) {
        const typeName = item.TypeName as string;
        const previous = stored.get(typeName);
        const record = {
          InstanceId: instanceId,
          TypeName: typeName,
          SchemaVersion: item.SchemaVersion as string,
          CaptureTime: item.CaptureTime as string,
          ...(item.ContentHash ? { ContentHash: item.ContentHash } : {}),
          ...(item.Context && Object.keys(item.Context).length > 0 ? { Context: item.Context } : {}),
        };
        const unchanged = item.ContentHash !== undefined && item.ContentHash === previous?.ContentHash;
        if (!item.Content) {
          // The agent's optimized upload: the hash alone stands for data sent before, which keeps
          // its own schema version (the item's may be another type's: above).
          if (!unchanged || !previous) throw contentMismatch(typeName);
          writes.push({ record: { ...record, SchemaVersion: previous.SchemaVersion }, previous });
        } else {
          writes.push({ record, previous, content: unchanged ? undefined : (item.Content as InventoryEntry[]) });
        }
      }
      const customs = [...seen].filter(isCustomType);
      const registered = customs.length > 0 ? await this.store.customTypes(context) : new Set<string>();
      const newCustomTypes = customs.filter((name) => !registered.has(name));
      if (registered.size + newCustomTypes.length > this.customTypeLimit) {
        throw customSchemaLimit(this.customTypeLimit);
      }
      await this.store.write(context, instanceId, writes, newCustomTypes);
    }, isTooManyUpdates).catch((error) => {
      throw isTooManyUpdates(error) ? new ThrottlingException("Rate exceeded") : error;
    });
    return {};
  }

  /** ListInventoryEntries: one type's entries on one node, filtered and paged. */
  async listEntries(context: RequestContext, request: ListInventoryEntriesRequest) {
    const instanceId = request.InstanceId as string;
    const typeName = request.TypeName as string;
    assertMayActFor(context.principal, instanceId);
    checkTypeName(typeName);
    const filters = (request.Filters ?? []).map((filter) => ({
      filter,
      // A key may name the attribute alone or as <TypeName>.<Attribute>.
      attribute: (filter.Key as string).startsWith(`${typeName}.`)
        ? (filter.Key as string).slice(typeName.length + 1)
        : (filter.Key as string),
    }));
    const limit = request.MaxResults ?? 50;
    const cursor = decodeToken(request.NextToken, (v): v is { offset: number } => typeof v.offset === "number");
    const record = await this.store.typeOfNode(context, instanceId, typeName);
    const entries = record ? await this.store.entriesOf(context, record) : [];
    const matching = entries.filter((entry) => filters.every((f) => entryMatches(entry, f.attribute, f.filter)));
    const offset = cursor?.offset ?? 0;
    const page = matching.slice(offset, offset + limit);
    return {
      TypeName: typeName,
      InstanceId: instanceId,
      SchemaVersion: record?.SchemaVersion,
      CaptureTime: record?.CaptureTime,
      Entries: page,
      NextToken: offset + limit < matching.length ? encodeToken({ offset: offset + limit }) : undefined,
    };
  }

  /**
   * GetInventory: the nodes that have the result type (AWS:InstanceInformation unless
   * ResultAttributes names another), each with that type's data, filtered by
   * `<TypeName>.<Attribute>` filters on any type. Aggregators are refused: not built.
   */
  async getInventory(context: RequestContext, request: GetInventoryRequest) {
    if (request.Aggregators && request.Aggregators.length > 0) throw aggregatorsNotSupported();
    const resultType = request.ResultAttributes?.[0]?.TypeName ?? DEFAULT_RESULT_TYPE;
    if (!isCustomType(resultType) && !AWS_TYPES.has(resultType)) throw invalidResultAttribute(resultType);
    const filters = (request.Filters ?? []).map((filter) => ({ filter, ...splitFilterKey(filter.Key as string) }));
    // Filters on another type need that type's entries per node: read once, by node.
    const otherTypes = [...new Set(filters.map((f) => f.typeName).filter((t) => t !== resultType))];
    const entriesByType = new Map<string, Map<string, InventoryEntry[]>>();
    for (const typeName of otherTypes) entriesByType.set(typeName, await this.allEntries(context, typeName));
    const ownNode = context.principal.nodeId;
    const passes = (filter: InventoryFilter, attribute: string, entries: InventoryEntry[] | undefined) =>
      (entries ?? []).some((entry) => entryMatches(entry, attribute, filter));

    const page = await filteredPage<InventoryTypeRecord & { entries: InventoryEntry[] }>({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? 50,
      keyOf: (record) => record.InstanceId,
      matches: (record) =>
        (!ownNode || record.InstanceId === ownNode) &&
        filters.every((f) =>
          passes(
            f.filter,
            f.attribute,
            f.typeName === resultType ? record.entries : entriesByType.get(f.typeName)?.get(record.InstanceId),
          ),
        ),
      fetch: async (after, limit) => {
        if (resultType === DEFAULT_RESULT_TYPE) return this.instanceInformation(context, after, limit);
        const heads = await this.store.nodesWithType(context, resultType, after, limit);
        const entries = await this.store.entriesOfEach(context, heads.items);
        return { items: heads.items.map((head, i) => ({ ...head, entries: entries[i] ?? [] })), more: heads.more };
      },
    });
    return {
      Entities: page.items.map((record) => ({
        Id: record.InstanceId,
        Data: {
          [record.TypeName]: {
            TypeName: record.TypeName,
            SchemaVersion: record.SchemaVersion,
            CaptureTime: record.CaptureTime,
            ContentHash: record.ContentHash,
            Content: record.entries,
          },
        },
      })),
      NextToken: page.nextToken,
    };
  }

  /**
   * AWS:InstanceInformation of every managed node, a page of nodes at a time: "AWS derives it for
   * every managed node" (the SSM Agent never uploads it; AWS's get-inventory example answers it
   * for a node with ComputerName, InstanceId, IpAddress, AgentType, ResourceType, AgentVersion,
   * PlatformVersion, PlatformName and PlatformType). What a node uploaded itself under that type
   * is answered as uploaded. One node listing page, one batch read of the page's uploads, and one
   * of their parts (when any has its entries in parts).
   */
  private async instanceInformation(context: RequestContext, after: string | undefined, limit: number) {
    const nodes = await this.listNodes(context, after, limit);
    const uploaded = await this.store.typeOfNodes(
      context,
      nodes.items.map((node) => node.InstanceId),
      DEFAULT_RESULT_TYPE,
    );
    const heads = [...uploaded.values()];
    const entries = new Map((await this.store.entriesOfEach(context, heads)).map((e, i) => [heads[i], e]));
    const items = nodes.items.map((node) => {
      const head = uploaded.get(node.InstanceId);
      return head ? { ...head, entries: entries.get(head) ?? [] } : derivedInformation(node);
    });
    return { items, more: nodes.more };
  }

  private async allEntries(context: RequestContext, typeName: string): Promise<Map<string, InventoryEntry[]>> {
    const byNode = new Map<string, InventoryEntry[]>();
    let after: string | undefined;
    let more = true;
    while (more) {
      const page = await this.store.nodesWithType(context, typeName, after, 100);
      const entries = await this.store.entriesOfEach(context, page.items);
      for (const [i, head] of page.items.entries()) byNode.set(head.InstanceId, entries[i] ?? []);
      after = page.items.at(-1)?.InstanceId;
      more = page.more && after !== undefined;
    }
    return byNode;
  }
}

/** A node's AWS:InstanceInformation as AWS derives it from what the node reports (its heartbeats). */
function derivedInformation(node: NodeRecord): InventoryTypeRecord & { entries: InventoryEntry[] } {
  const content: InventoryEntry = {
    AgentType: "amazon-ssm-agent",
    ...(node.AgentVersion ? { AgentVersion: node.AgentVersion } : {}),
    ...(node.ComputerName ? { ComputerName: node.ComputerName } : {}),
    InstanceId: node.InstanceId,
    InstanceStatus: "Active",
    ...(node.IPAddress ? { IpAddress: node.IPAddress } : {}),
    ...(node.PlatformName ? { PlatformName: node.PlatformName } : {}),
    ...(node.PlatformType ? { PlatformType: node.PlatformType } : {}),
    ...(node.PlatformVersion ? { PlatformVersion: node.PlatformVersion } : {}),
    ResourceType: node.ResourceType,
  };
  const captured = node.LastPingDateTime ?? node.RegistrationDate;
  return {
    InstanceId: node.InstanceId,
    TypeName: DEFAULT_RESULT_TYPE,
    SchemaVersion: "1.0",
    // Inventory's capture times are to the second (the model's CaptureTime pattern).
    CaptureTime: `${captured.slice(0, 19)}Z`,
    entries: [content],
  };
}
