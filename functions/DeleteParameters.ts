import type { DeleteParametersRequest, DeleteParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<DeleteParametersRequest, DeleteParametersResult>(
  "DeleteParameters",
  async (request, context) => (await parameters()).deleteMany(context, request),
);
