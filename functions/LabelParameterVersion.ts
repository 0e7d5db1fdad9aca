import type { LabelParameterVersionRequest, LabelParameterVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { LabelParameterVersion } from "../shared/validation/generated/operations/LabelParameterVersion.ts";

export const handler = ssmOperation<LabelParameterVersionRequest, LabelParameterVersionResult>(
  LabelParameterVersion,
  async (request, context, services) => (await services.parameters()).label(context, request),
);
