/** A node's inventory (the agent's AWS-GatherSoftwareInventory run, or custom types). */
import type { PutInventoryRequest, PutInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { inventory } from "../shared/services/inventory.ts";
import { PutInventory } from "../shared/validation/generated/operations/PutInventory.ts";

export const handler = ssmOperation<PutInventoryRequest, PutInventoryResult>(
  PutInventory,
  (request, context, runtime) => runtime.get(inventory).put(context, request),
);
