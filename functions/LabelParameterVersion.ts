import type { LabelParameterVersionRequest, LabelParameterVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { LabelParameterVersion } from "../shared/validation/generated/operations/LabelParameterVersion.ts";

export const handler = ssmOperation<LabelParameterVersionRequest, LabelParameterVersionResult>(
  LabelParameterVersion,
  async (request, context, runtime) => (await runtime.get(parameters)).label(context, request),
);
