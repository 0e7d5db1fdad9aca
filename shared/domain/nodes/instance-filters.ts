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
  // Association status arrives with associations; until a node has one, none matches.
  AssociationStatus: { field: () => undefined },
};

export type NodeFilter = {
  matches: (node: NodeRecord) => boolean;
  /** The ids asked for with an InstanceIds filter, which must all exist. */
  instanceIds?: string[];
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
  let instanceIds: string[] | undefined;
  for (const { key, values } of pairs) {
    if (key.startsWith("tag:")) {
      const tagKey = key.slice(4);
      predicates.push((node) => node.Tags.some((tag) => tag.Key === tagKey && values.includes(tag.Value as string)));
      continue;
    }
    if (key === "tag-key") {
      predicates.push((node) => node.Tags.some((tag) => values.includes(tag.Key as string)));
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
    predicates.push((node) => values.includes(spec.field(node, pingStatus(node)) ?? "\u0000"));
  }
  return { matches: (node) => predicates.every((predicate) => predicate(node)), instanceIds };
}
