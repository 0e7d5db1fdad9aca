import type { DeleteParametersRequest, DeleteParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { DeleteParameters } from "../shared/validation/generated/operations/DeleteParameters.ts";

export const handler = ssmOperation<DeleteParametersRequest, DeleteParametersResult>(
  DeleteParameters,
  async (request, context, runtime) => (await runtime.get(parameters)).deleteMany(context, request),
);
