import type { DeleteActivationRequest, DeleteActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { DeleteActivation } from "../shared/validation/generated/operations/DeleteActivation.ts";

export const handler = ssmOperation<DeleteActivationRequest, DeleteActivationResult>(
  DeleteActivation,
  async (request, context, runtime) => {
    await runtime.get(nodes).deleteActivation(context, request.ActivationId as string);
    return {};
  },
);
