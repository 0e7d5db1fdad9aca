/** A node's inventory (the agent's AWS-GatherSoftwareInventory run, or custom types). */
import type { PutInventoryRequest, PutInventoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { inventory } from "../shared/runtime.ts";

export const handler = ssmOperation<PutInventoryRequest, PutInventoryResult>("PutInventory", (request, context) =>
  inventory().put(context, request),
);
