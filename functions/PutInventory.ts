/** A node's inventory (the agent's AWS-GatherSoftwareInventory run, or custom types). */
import type { PutInventoryRequest, PutInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { PutInventory } from "../shared/validation/generated/operations/PutInventory.ts";

export const handler = ssmOperation<PutInventoryRequest, PutInventoryResult>(
  PutInventory,
  (request, context, services) => services.inventory.put(context, request),
);
