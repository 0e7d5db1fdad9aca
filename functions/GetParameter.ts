import type { GetParameterRequest, GetParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<GetParameterRequest, GetParameterResult>("GetParameter", async (request, context) =>
  (await parameters()).get(context, request),
);
