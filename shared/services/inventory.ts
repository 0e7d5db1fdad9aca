/** Inventory: a part of the runtime (runtime.ts). */
import { Inventory } from "../domain/inventory/inventory.ts";
import { CUSTOM_TYPE_LIMIT } from "../domain/inventory/schemas.ts";
import { DynamoInventoryStore } from "../store/inventory-store.ts";
import { nodeStore } from "./node-store.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const inventory = (r: Runtime) =>
  new Inventory(
    new DynamoInventoryStore(r.db, r.tableName, CUSTOM_TYPE_LIMIT),
    async (scope, instanceId) => (await r.get(nodes).node(scope, instanceId)) !== undefined,
    CUSTOM_TYPE_LIMIT,
    (scope, after, limit) => r.get(nodeStore).listNodes(scope, after, limit),
  );
