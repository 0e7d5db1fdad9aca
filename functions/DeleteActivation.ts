import type { DeleteActivationRequest, DeleteActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<DeleteActivationRequest, DeleteActivationResult>(
  "DeleteActivation",
  async (request, context) => {
    await nodes().deleteActivation(context, request.ActivationId as string);
    return {};
  },
);
