import type { GetInventoryRequest, GetInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { GetInventory } from "../shared/validation/generated/operations/GetInventory.ts";

export const handler = ssmOperation<GetInventoryRequest, GetInventoryResult>(
  GetInventory,
  (request, context, services) => services.inventory.getInventory(context, request),
);
