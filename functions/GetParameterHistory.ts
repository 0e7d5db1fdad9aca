import type { GetParameterHistoryRequest, GetParameterHistoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { GetParameterHistory } from "../shared/validation/generated/operations/GetParameterHistory.ts";

export const handler = ssmOperation<GetParameterHistoryRequest, GetParameterHistoryResult>(
  GetParameterHistory,
  async (request, context, runtime) => (await runtime.get(parameters)).history(context, request),
);
