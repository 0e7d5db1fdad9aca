import type { PutParameterRequest, PutParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<PutParameterRequest, PutParameterResult>(
  "PutParameter",
  async (request, context, services) => (await services.parameters()).put(context, request),
);
