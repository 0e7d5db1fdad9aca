import type { ListInventoryEntriesRequest, ListInventoryEntriesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListInventoryEntries } from "../shared/validation/generated/operations/ListInventoryEntries.ts";

export const handler = ssmOperation<ListInventoryEntriesRequest, ListInventoryEntriesResult>(
  ListInventoryEntries,
  (request, context, services) => services.inventory.listEntries(context, request),
);
