import type { DeregisterManagedInstanceRequest, DeregisterManagedInstanceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { DeregisterManagedInstance } from "../shared/validation/generated/operations/DeregisterManagedInstance.ts";

export const handler = ssmOperation<DeregisterManagedInstanceRequest, DeregisterManagedInstanceResult>(
  DeregisterManagedInstance,
  async (request, context, runtime) => {
    await runtime.get(nodes).deregister(context, request.InstanceId as string);
    return {};
  },
);
