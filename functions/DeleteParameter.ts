import type { DeleteParameterRequest, DeleteParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<DeleteParameterRequest, DeleteParameterResult>(
  "DeleteParameter",
  async (request, context) => {
    await (await parameters()).delete(context, request);
    return {};
  },
);
