import type { DeleteParameterRequest, DeleteParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { DeleteParameter } from "../shared/validation/generated/operations/DeleteParameter.ts";

export const handler = ssmOperation<DeleteParameterRequest, DeleteParameterResult>(
  DeleteParameter,
  async (request, context, runtime) => {
    await (await runtime.get(parameters)).delete(context, request);
    return {};
  },
);
