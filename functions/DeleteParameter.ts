import type { DeleteParameterRequest, DeleteParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DeleteParameter } from "../shared/validation/generated/operations/DeleteParameter.ts";

export const handler = ssmOperation<DeleteParameterRequest, DeleteParameterResult>(
  DeleteParameter,
  async (request, context, services) => {
    await (await services.parameters()).delete(context, request);
    return {};
  },
);
