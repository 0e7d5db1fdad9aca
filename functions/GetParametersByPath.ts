import type { GetParametersByPathRequest, GetParametersByPathResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { GetParametersByPath } from "../shared/validation/generated/operations/GetParametersByPath.ts";

export const handler = ssmOperation<GetParametersByPathRequest, GetParametersByPathResult>(
  GetParametersByPath,
  async (request, context, runtime) => (await runtime.get(parameters)).byPath(context, request),
);
