import type { CreateActivationRequest, CreateActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<CreateActivationRequest, CreateActivationResult>(
  "CreateActivation",
  (request, context) => nodes().createActivation(context, request),
);
