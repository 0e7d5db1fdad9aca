import type { GetParameterHistoryRequest, GetParameterHistoryResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<GetParameterHistoryRequest, GetParameterHistoryResult>(
  "GetParameterHistory",
  async (request, context) => (await parameters()).history(context, request),
);
