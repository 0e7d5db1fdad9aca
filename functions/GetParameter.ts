import type { GetParameterRequest, GetParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { GetParameter } from "../shared/validation/generated/operations/GetParameter.ts";

export const handler = ssmOperation<GetParameterRequest, GetParameterResult>(
  GetParameter,
  async (request, context, runtime) => (await runtime.get(parameters)).get(context, request),
);
