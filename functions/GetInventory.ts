import type { GetInventoryRequest, GetInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { inventory } from "../shared/services/inventory.ts";
import { GetInventory } from "../shared/validation/generated/operations/GetInventory.ts";

export const handler = ssmOperation<GetInventoryRequest, GetInventoryResult>(
  GetInventory,
  (request, context, runtime) => runtime.get(inventory).getInventory(context, request),
);
