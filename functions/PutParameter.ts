import type { PutParameterRequest, PutParameterResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<PutParameterRequest, PutParameterResult>("PutParameter", async (request, context) =>
  (await parameters()).put(context, request),
);
