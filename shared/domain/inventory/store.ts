/** What the inventory behaviour needs from storage (implemented by shared/store/inventory-store.ts). */
import type { Scope } from "../../context.ts";
import type { InventoryEntry, InventoryTypeRecord, InventoryWrite } from "./records.ts";

export interface InventoryStore {
  /** The heads of every type stored for a node (one query). */
  typesOfNode(scope: Scope, instanceId: string): Promise<InventoryTypeRecord[]>;
  /** One type's heads on several nodes, by node id (one BatchGetItem per 100). */
  typeOfNodes(
    scope: Scope,
    instanceIds: readonly string[],
    typeName: string,
  ): Promise<Map<string, InventoryTypeRecord>>;
  /** One type's head on one node. */
  typeOfNode(scope: Scope, instanceId: string, typeName: string): Promise<InventoryTypeRecord | undefined>;
  /** The custom type names registered in the account and Region. */
  customTypes(scope: Scope): Promise<Set<string>>;
  /**
   * Writes a node's types in one transaction, registering `newCustomTypes` against the account's
   * limit in the same transaction (fails with CustomSchemaCountLimitExceededException past it).
   */
  write(scope: Scope, instanceId: string, writes: InventoryWrite[], newCustomTypes: string[]): Promise<void>;
  /** A head's entries, inline or from its parts (one query when in parts). */
  entriesOf(scope: Scope, record: InventoryTypeRecord): Promise<InventoryEntry[]>;
  /** Several heads' entries, in their order (one batch read of all their parts). */
  entriesOfEach(scope: Scope, records: readonly InventoryTypeRecord[]): Promise<InventoryEntry[][]>;
  /** Heads of one type across the account's nodes, in instance id order, after a given id. */
  nodesWithType(
    scope: Scope,
    typeName: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ items: InventoryTypeRecord[]; more: boolean }>;
}
