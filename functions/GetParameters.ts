import type { GetParametersRequest, GetParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<GetParametersRequest, GetParametersResult>(
  "GetParameters",
  async (request, context) => (await parameters()).getMany(context, request),
);
