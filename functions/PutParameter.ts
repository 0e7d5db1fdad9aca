import type { PutParameterRequest, PutParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { PutParameter } from "../shared/validation/generated/operations/PutParameter.ts";

export const handler = ssmOperation<PutParameterRequest, PutParameterResult>(
  PutParameter,
  async (request, context, runtime) => (await runtime.get(parameters)).put(context, request),
);
