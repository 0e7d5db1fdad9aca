import type { GetParameterHistoryRequest, GetParameterHistoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<GetParameterHistoryRequest, GetParameterHistoryResult>(
  "GetParameterHistory",
  async (request, context, services) => (await services.parameters()).history(context, request),
);
