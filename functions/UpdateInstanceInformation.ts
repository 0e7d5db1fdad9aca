/** Agent-facing: the heartbeat that keeps a node Online and reports its agent and platform. */
import type { InstanceInformationUpdate } from "../shared/domain/nodes/nodes.ts";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<InstanceInformationUpdate, Record<string, never>>(
  "UpdateInstanceInformation",
  async (request, context) => {
    await nodes().heartbeat(context, request);
    return {};
  },
);
