import type { ListInventoryEntriesRequest, ListInventoryEntriesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { inventory } from "../shared/runtime.ts";

export const handler = ssmOperation<ListInventoryEntriesRequest, ListInventoryEntriesResult>(
  "ListInventoryEntries",
  (request, context) => inventory().listEntries(context, request),
);
