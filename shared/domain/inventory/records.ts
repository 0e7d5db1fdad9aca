/** What is stored of one inventory type on one node. */
export type InventoryEntry = Record<string, string>;

export type InventoryTypeRecord = {
  InstanceId: string;
  TypeName: string;
  SchemaVersion: string;
  CaptureTime: string;
  ContentHash?: string;
  /** The entries, when their JSON fits one item; otherwise they are in `Parts` part items. */
  Content?: InventoryEntry[];
  Parts?: number;
  Context?: Record<string, string>;
};

/** One type's data as PutInventory writes it: the head, and the entries if they changed. */
export type InventoryWrite = {
  record: Omit<InventoryTypeRecord, "Content" | "Parts">;
  /** Undefined when the content is unchanged (same ContentHash): only the head is rewritten. */
  content?: InventoryEntry[];
  previous?: InventoryTypeRecord;
};
