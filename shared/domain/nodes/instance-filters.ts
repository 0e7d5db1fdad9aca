/**
 * DescribeInstanceInformation filters, in both forms: `InstanceInformationFilterList` (the
 * original keys) and `Filters` (those keys plus `tag:<key>` and `tag-key`). Keys must all
 * match; the values of one key are alternatives.
 */
import type { DescribeInstanceInformationRequest } from "@aws-sdk/client-ssm";
import { InvalidInstanceInformationFilterValue, ValidationException } from "../../errors.ts";
import { invalidFilterKey } from "../errors.ts";
import type { NodeRecord } from "./records.ts";

type Field = (node: NodeRecord, pingStatus: string) => string | undefined;

const FIELDS: Record<string, { field: Field; allowed?: string[] }> = {
  InstanceIds: { field: (node) => node.InstanceId },
  AgentVersion: { field: (node) => node.AgentVersion },
  PingStatus: { field: (_node, ping) => ping, allowed: ["Online", "ConnectionLost", "Inactive"] },
  PlatformTypes: { field: (node) => node.PlatformType, allowed: ["Windows", "Linux", "MacOS"] },
  ActivationIds: { field: (node) => node.ActivationId },
  IamRole: { field: (node) => node.IamRole },
  ResourceType: { field: (node) => node.ResourceType, allowed: ["ManagedInstance", "EC2Instance"] },
  // The node's summary of its associations' statuses (Nodes.describeInstanceInformation).
  AssociationStatus: {
    field: (node) =>
      (node as NodeRecord & { Associations?: { AssociationStatus?: string } }).Associations?.AssociationStatus,
  },
};

export type NodeFilter = {
  matches: (node: NodeRecord) => boolean;
  /** Every filter but AssociationStatus: what a node's own item decides, before its summary is read. */
  matchesNode: (node: NodeRecord) => boolean;
  /** An AssociationStatus filter: the nodes' summaries are needed to match. */
  needsSummary: boolean;
  /** Any filter on the node's own item (tags included): a listing page may hold few matches. */
  filtersNodes: boolean;
  /** The ids asked for with an InstanceIds filter, which must all exist. */
  instanceIds?: string[];
  /**
   * A tag filter the node tag index can answer by key (the first one given): the nodes with any
   * of these tags (`value` undefined: a `tag-key` filter's key).
   */
  tagged?: { key: string; value?: string }[];
};

export function nodeFilter(
  request: DescribeInstanceInformationRequest,
  pingStatus: (node: NodeRecord) => string,
): NodeFilter {
  if (request.InstanceInformationFilterList?.length && request.Filters?.length) {
    throw new ValidationException(
      "InstanceInformationFilterList and Filters can't be used in the same request. Use Filters.",
    );
  }
  const pairs = [
    ...(request.InstanceInformationFilterList ?? []).map((f) => ({ key: f.key as string, values: f.valueSet ?? [] })),
    ...(request.Filters ?? []).map((f) => ({ key: f.Key as string, values: f.Values ?? [] })),
  ];
  const predicates: ((node: NodeRecord) => boolean)[] = [];
  let summaryPredicate: ((node: NodeRecord) => boolean) | undefined;
  let instanceIds: string[] | undefined;
  let tagged: NodeFilter["tagged"];
  for (const { key, values } of pairs) {
    if (key.startsWith("tag:")) {
      const tagKey = key.slice(4);
      predicates.push((node) => node.Tags.some((tag) => tag.Key === tagKey && values.includes(tag.Value as string)));
      tagged ??= values.map((value) => ({ key: tagKey, value }));
      continue;
    }
    if (key === "tag-key") {
      predicates.push((node) => node.Tags.some((tag) => values.includes(tag.Key as string)));
      tagged ??= values.map((tagKey) => ({ key: tagKey }));
      continue;
    }
    const spec = FIELDS[key];
    if (!spec) throw invalidFilterKey(key);
    const invalid = spec.allowed ? values.find((value) => !spec.allowed?.includes(value)) : undefined;
    if (invalid !== undefined) {
      throw new InvalidInstanceInformationFilterValue(
        `The filter value ${invalid} is not valid for ${key}. Valid values: ${spec.allowed?.join(", ")}.`,
      );
    }
    if (key === "InstanceIds") instanceIds = [...(instanceIds ?? []), ...values];
    const predicate = (node: NodeRecord) => values.includes(spec.field(node, pingStatus(node)) ?? "\u0000");
    if (key === "AssociationStatus") {
      const before = summaryPredicate;
      summaryPredicate = (node) => (before?.(node) ?? true) && predicate(node);
    } else predicates.push(predicate);
  }
  const matchesNode = (node: NodeRecord) => predicates.every((predicate) => predicate(node));
  return {
    matches: (node) => matchesNode(node) && (summaryPredicate?.(node) ?? true),
    matchesNode,
    needsSummary: summaryPredicate !== undefined,
    filtersNodes: predicates.length > 0,
    instanceIds,
    tagged: tagged?.length ? tagged : undefined,
  };
}
