import type { CreateActivationRequest, CreateActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { CreateActivation } from "../shared/validation/generated/operations/CreateActivation.ts";

export const handler = ssmOperation<CreateActivationRequest, CreateActivationResult>(
  CreateActivation,
  (request, context, services) => services.nodes.createActivation(context, request),
);
