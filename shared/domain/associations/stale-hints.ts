/**
 * The index's stale hints, swept where a read finds them (issue 15; shared/store/association-index.ts
 * says how hints go stale). A node's view reads every head its lookup keys' hints name and keeps
 * those that apply (`appliesTo`, the authority). A head that does not apply has none of the
 * node's lookup keys, yet a hint under one of them led to it: that hint is stale, and the store
 * drops it on condition that it is no newer than the head as read (an update in flight keeps its
 * hints). Costs nothing while the index is clean; one conditional delete per key otherwise.
 */
import type { Scope } from "../../context.ts";
import { appliesTo, nodeLookupKeys, type TargetableNode } from "../targets.ts";
import type { AssociationRecord } from "./records.ts";
import type { AssociationStore } from "./store.ts";

/** The candidates that apply to the node; the hints that led to the others are dropped. */
export async function applicableSweepingHints<
  T extends Pick<AssociationRecord, "AssociationId" | "Revision" | "InstanceId" | "Targets">,
>(store: Pick<AssociationStore, "dropStaleHints">, scope: Scope, node: TargetableNode, candidates: T[]): Promise<T[]> {
  const applicable: T[] = [];
  const stale: T[] = [];
  for (const association of candidates) (appliesTo(association, node) ? applicable : stale).push(association);
  if (stale.length > 0) {
    const lookupKeys = nodeLookupKeys(node);
    await Promise.all(
      stale.map((association) =>
        store.dropStaleHints(scope, {
          associationId: association.AssociationId,
          revision: association.Revision,
          lookupKeys,
        }),
      ),
    );
  }
  return applicable;
}
