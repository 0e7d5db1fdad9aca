import type { GetInventoryRequest, GetInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { inventory } from "../shared/runtime.ts";

export const handler = ssmOperation<GetInventoryRequest, GetInventoryResult>("GetInventory", (request, context) =>
  inventory().getInventory(context, request),
);
