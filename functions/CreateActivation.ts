import type { CreateActivationRequest, CreateActivationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { CreateActivation } from "../shared/validation/generated/operations/CreateActivation.ts";

export const handler = ssmOperation<CreateActivationRequest, CreateActivationResult>(
  CreateActivation,
  (request, context, runtime) => runtime.get(nodes).createActivation(context, request),
);
