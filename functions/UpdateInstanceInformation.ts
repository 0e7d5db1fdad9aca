/** Agent-facing: the heartbeat that keeps a node Online and reports its agent and platform. */
import type { InstanceInformationUpdate } from "../shared/domain/nodes/nodes.ts";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { UpdateInstanceInformation } from "../shared/validation/generated/operations/UpdateInstanceInformation.ts";

export const handler = ssmOperation<InstanceInformationUpdate, Record<string, never>>(
  UpdateInstanceInformation,
  async (request, context, runtime) => {
    await runtime.get(nodes).heartbeat(context, request);
    return {};
  },
);
