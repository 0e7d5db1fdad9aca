/**
 * What a managed node's own credentials see of State Manager's account-wide association
 * operations: the SSM Agent's fallback when ListInstanceAssociations fails (amazon-ssm-agent
 * agent/association/service/service.go: ListAssociations with the filter `InstanceId` = its own
 * id and MaxResults 1, DescribeAssociation by Name and InstanceId, UpdateAssociationStatus).
 *
 * The instance role the agent runs with (AmazonSSMManagedInstanceCore) allows
 * ssm:ListAssociations, ssm:DescribeAssociation and ssm:UpdateAssociationStatus on any
 * resource, but the service answers the agent about its own node only, as it does for every
 * agent call (ListInstanceAssociations, UpdateInstanceAssociationStatus, PutInventory, ...,
 * which act for one node: `assertMayActFor`). So, with node credentials:
 * - acting for another node (an InstanceId in the request) is AccessDeniedException, as IAM
 *   refuses a request whose parameters name a resource the caller may not use: State Manager
 *   authorizes on "the passed-in request" (AWS Systems Manager User Guide, "Working with
 *   associations using IAM", systems-manager-state-manager-iam.html);
 * - an association that does not apply to the node (its targets, matched by ../targets.ts
 *   against the node's id and tags) is not there: ListAssociations leaves it out and
 *   DescribeAssociation by id answers AssociationDoesNotExist. Not AccessDenied: the same page
 *   says State Manager "doesn't perform a deep check for the properties of resources" (the
 *   Targets are never checked against an instance), so an authorization failure can never
 *   depend on an association's targets; and "does not exist" tells a node nothing about other
 *   nodes' associations, which an AccessDenied naming the id would confirm.
 *
 * A node's associations are found by key (`associationsOfNode`): the store's index of
 * associations by target, read under the node's own lookup keys, so what a node sees costs reads
 * in proportion to what applies to it, not to the account's associations.
 */
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import type { Nodes } from "../nodes/nodes.ts";
import type { NodeRecord } from "../nodes/records.ts";
import { appliesTo, nodeIdLookupKeys, nodeLookupKeys, nodeTagLookupKeys, type TargetableNode } from "../targets.ts";
import type { AssociationRecord, NodeViewAssociation } from "./records.ts";
import { applicableSweepingHints } from "./stale-hints.ts";
import type { AssociationStore } from "./store.ts";

/** Which associations the caller may see: all of them, or those that apply to the calling node. */
export type Visibility = (record: AssociationRecord) => boolean;

const everything: Visibility = () => true;

/** The caller's view: account credentials see every association; a node's, its own (one node read). */
export async function visibilityOf(context: RequestContext, nodes: Pick<Nodes, "managedNode">): Promise<Visibility> {
  const nodeId = context.principal.nodeId;
  if (!nodeId) return everything;
  const node: TargetableNode = await nodes.managedNode(context, nodeId);
  return (record) => appliesTo(record, node);
}

/** Node credentials name only their own node in a request's InstanceId. */
export function assertOwnNode(context: RequestContext, instanceId: string | undefined): void {
  if (instanceId !== undefined) assertMayActFor(context.principal, instanceId);
}

/**
 * The associations that apply to a node, in id order: those the store's index names under the
 * node's lookup keys (its id, tags, tag keys and `*`, from its tags as just read), each head
 * checked with `appliesTo`, so an index entry that no longer holds shows nothing.
 */
export async function associationsOfNode(
  store: Pick<AssociationStore, "indexed" | "dropStaleHints">,
  scope: Scope,
  node: TargetableNode,
): Promise<AssociationRecord[]> {
  const candidates = await store.indexed(scope, nodeLookupKeys(node));
  return applicableSweepingHints(store, scope, node, candidates);
}

/**
 * A managed node and the associations that apply to it, read together: the index queries under
 * the node's id and `*` go out with the node read (they need nothing from it), those under its
 * tags as soon as it answers, then every head in one batch. A node that is not there fails as
 * `managedNode` does, whatever the queries found.
 */
export async function nodeAndAssociations(
  store: Pick<AssociationStore, "nodeView" | "dropStaleHints">,
  nodes: Pick<Nodes, "managedNode">,
  scope: Scope,
  instanceId: string,
): Promise<{ node: NodeRecord; applicable: NodeViewAssociation[] }> {
  const read = nodes.managedNode(scope, instanceId);
  const tagKeys = read.then(
    (node) => nodeTagLookupKeys(node.Tags),
    () => [],
  );
  const [node, candidates] = await Promise.all([read, store.nodeView(scope, nodeIdLookupKeys(instanceId), tagKeys)]);
  return { node, applicable: await applicableSweepingHints(store, scope, node, candidates) };
}
