import type { GetParametersByPathRequest, GetParametersByPathResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<GetParametersByPathRequest, GetParametersByPathResult>(
  "GetParametersByPath",
  async (request, context) => (await parameters()).byPath(context, request),
);
