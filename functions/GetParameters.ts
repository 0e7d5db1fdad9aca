import type { GetParametersRequest, GetParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { GetParameters } from "../shared/validation/generated/operations/GetParameters.ts";

export const handler = ssmOperation<GetParametersRequest, GetParametersResult>(
  GetParameters,
  async (request, context, runtime) => (await runtime.get(parameters)).getMany(context, request),
);
