import type { DeleteParameterRequest, DeleteParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<DeleteParameterRequest, DeleteParameterResult>(
  "DeleteParameter",
  async (request, context, services) => {
    await (await services.parameters()).delete(context, request);
    return {};
  },
);
