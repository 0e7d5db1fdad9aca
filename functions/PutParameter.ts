import type { PutParameterRequest, PutParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { PutParameter } from "../shared/validation/generated/operations/PutParameter.ts";

export const handler = ssmOperation<PutParameterRequest, PutParameterResult>(
  PutParameter,
  async (request, context, services) => (await services.parameters()).put(context, request),
);
