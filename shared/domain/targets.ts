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

/**
 * The node's view by lookup (the association index, shared/store/association-index.ts): an
 * association is indexed under `associationLookupKeys`, a node looks up `nodeLookupKeys`, and
 * the promise the two keep together is
 *
 *   appliesTo(association, node)  =>  the two key lists share at least one key,
 *
 * so a node that reads the associations under its own keys finds every one that applies to it
 * (test/unit/target-lookup.test.ts checks it against every kind of target). The converse need not
 * hold: a key may find an association that does not apply (a tag key with `=` in it can read as
 * another key and value, a stale index entry, a target the matcher never matches), which is why
 * the reader keeps `appliesTo` as the authoritative check on what it found.
 */
export const EVERY_NODE_KEY = "*";

/**
 * An association's lookup keys: `InstanceIds=<id>` per id (a legacy association's InstanceId
 * too), `tag:<key>=<value>` per value, `tag-key=<key>` per key, and `*` ("check on every node")
 * for `InstanceIds=*` and for any target kind that a node cannot find by key (today
 * `ParameterValues`, which names no node; resource groups, were they supported, would go there
 * too): `*` is one bucket that every node reads.
 */
export function associationLookupKeys(association: { InstanceId?: string; Targets?: Target[] }): string[] {
  if (association.InstanceId) return [`InstanceIds=${association.InstanceId}`];
  const found = new Set<string>();
  for (const target of association.Targets ?? []) {
    const key = target.Key ?? "";
    const values = target.Values ?? [];
    if (key === "InstanceIds") {
      for (const value of values) found.add(value === "*" ? EVERY_NODE_KEY : `InstanceIds=${value}`);
    } else if (key === "tag-key") {
      for (const value of values) found.add(`tag-key=${value}`);
    } else if (key.startsWith("tag:")) {
      for (const value of values) found.add(`${key}=${value}`);
    } else {
      found.add(EVERY_NODE_KEY);
    }
  }
  return [...found];
}

/**
 * The keys a node looks up: its id, each of its tags as `tag:<key>=<value>`, each tag key, and
 * `*`. They are built from the node's tags as read with the node, so a change of a node's tags
 * needs no index write: the index is keyed by what associations target, never by what a node has.
 */
export function nodeLookupKeys(node: TargetableNode): string[] {
  return [...nodeIdLookupKeys(node.InstanceId), ...nodeTagLookupKeys(node.Tags)];
}

/**
 * The part of `nodeLookupKeys` known from the node's id alone (its id and `*`): a node's view
 * queries them while it reads the node, and only the tag keys wait for that read.
 */
export function nodeIdLookupKeys(instanceId: string): string[] {
  return [`InstanceIds=${instanceId}`, EVERY_NODE_KEY];
}

/** The part of `nodeLookupKeys` that comes from the node's tags as read with it. */
export function nodeTagLookupKeys(tags: TargetableNode["Tags"]): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    found.add(`tag:${tag.Key ?? ""}=${tag.Value ?? ""}`);
    found.add(`tag-key=${tag.Key ?? ""}`);
  }
  return [...found];
}
