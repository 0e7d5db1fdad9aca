import type { LabelParameterVersionRequest, LabelParameterVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<LabelParameterVersionRequest, LabelParameterVersionResult>(
  "LabelParameterVersion",
  async (request, context) => (await parameters()).label(context, request),
);
