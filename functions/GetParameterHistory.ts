import type { GetParameterHistoryRequest, GetParameterHistoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { GetParameterHistory } from "../shared/validation/generated/operations/GetParameterHistory.ts";

export const handler = ssmOperation<GetParameterHistoryRequest, GetParameterHistoryResult>(
  GetParameterHistory,
  async (request, context, services) => (await services.parameters()).history(context, request),
);
