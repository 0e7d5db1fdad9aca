import type { DeleteActivationRequest, DeleteActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DeleteActivation } from "../shared/validation/generated/operations/DeleteActivation.ts";

export const handler = ssmOperation<DeleteActivationRequest, DeleteActivationResult>(
  DeleteActivation,
  async (request, context, services) => {
    await services.nodes.deleteActivation(context, request.ActivationId as string);
    return {};
  },
);
