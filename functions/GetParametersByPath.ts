import type { GetParametersByPathRequest, GetParametersByPathResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<GetParametersByPathRequest, GetParametersByPathResult>(
  "GetParametersByPath",
  async (request, context, services) => (await services.parameters()).byPath(context, request),
);
