import type { ListInventoryEntriesRequest, ListInventoryEntriesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { inventory } from "../shared/services/inventory.ts";
import { ListInventoryEntries } from "../shared/validation/generated/operations/ListInventoryEntries.ts";

export const handler = ssmOperation<ListInventoryEntriesRequest, ListInventoryEntriesResult>(
  ListInventoryEntries,
  (request, context, runtime) => runtime.get(inventory).listEntries(context, request),
);
