/** Managed nodes: a part of the runtime (runtime.ts). */
import { Nodes } from "../domain/nodes/nodes.ts";
import { DynamoAssociationTargetStore } from "../store/association-target-store.ts";
import { accounts } from "./accounts.ts";
import { nodeStore } from "./node-store.ts";
import type { Runtime } from "./runtime.ts";

/** The associations' statuses per node: a node's view reads them, the agent's loop writes them. */
export const associationTargetStore = (r: Runtime) => new DynamoAssociationTargetStore(r.db, r.tableName);

export const nodes = (r: Runtime) => {
  const targets = r.get(associationTargetStore);
  return new Nodes(
    r.get(nodeStore),
    () => r.get(accounts),
    undefined,
    (scope, id) => targets.targetsOfNode(scope, id),
  );
};
