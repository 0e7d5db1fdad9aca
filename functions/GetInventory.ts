import type { GetInventoryRequest, GetInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<GetInventoryRequest, GetInventoryResult>(
  "GetInventory",
  (request, context, services) => services.inventory.getInventory(context, request),
);
