import type { DeleteParametersRequest, DeleteParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<DeleteParametersRequest, DeleteParametersResult>(
  "DeleteParameters",
  async (request, context, services) => (await services.parameters()).deleteMany(context, request),
);
