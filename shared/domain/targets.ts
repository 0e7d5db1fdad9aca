/**
 * Association targets, in one place: which target keys this service supports (checked before an
 * association is written) and whether a target list names a given node (the node's view of its
 * associations, and which ones the agent must run).
 */
import type { Target } from "@aws-sdk/client-ssm";
import { InvalidInstanceId, InvalidTarget } from "../errors.ts";

/** What matching needs of a node: its id and its tags. */
export type TargetableNode = {
  readonly InstanceId: string;
  readonly Tags: readonly { Key?: string; Value?: string }[];
};

const TAG_TARGET = /^tag:.+/;
const NODE_ID = /^(i-(\w{8}|\w{17})|mi-\w{17})$/;

/**
 * Refuses target keys this service does not support (resource groups among them) and malformed
 * instance ids; returns the node ids that `InstanceIds` targets name, which must exist.
 */
export function checkTargets(targets: readonly Target[]): string[] {
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
        if (!NODE_ID.test(id)) throw new InvalidInstanceId(`Instance ${id} is not valid.`);
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

/**
 * Whether targets name this node: `InstanceIds` (the id, or `*` for every node), `tag:<key>`
 * (any of the values) and `tag-key` (any of the keys). Different targets add up.
 */
export function targetsNode(targets: readonly Target[], node: TargetableNode): boolean {
  return targets.some((target) => {
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

/** Whether an association applies to this node: a legacy one names its node, others target it. */
export function appliesTo(association: { InstanceId?: string; Targets?: Target[] }, node: TargetableNode): boolean {
  if (association.InstanceId) return association.InstanceId === node.InstanceId;
  return targetsNode(association.Targets ?? [], node);
}
