import type { DeleteParametersRequest, DeleteParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DeleteParameters } from "../shared/validation/generated/operations/DeleteParameters.ts";

export const handler = ssmOperation<DeleteParametersRequest, DeleteParametersResult>(
  DeleteParameters,
  async (request, context, services) => (await services.parameters()).deleteMany(context, request),
);
