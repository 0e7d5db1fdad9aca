import type { GetParametersByPathRequest, GetParametersByPathResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { GetParametersByPath } from "../shared/validation/generated/operations/GetParametersByPath.ts";

export const handler = ssmOperation<GetParametersByPathRequest, GetParametersByPathResult>(
  GetParametersByPath,
  async (request, context, services) => (await services.parameters()).byPath(context, request),
);
