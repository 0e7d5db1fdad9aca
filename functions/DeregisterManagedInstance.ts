import type { DeregisterManagedInstanceRequest, DeregisterManagedInstanceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<DeregisterManagedInstanceRequest, DeregisterManagedInstanceResult>(
  "DeregisterManagedInstance",
  async (request, context) => {
    await nodes().deregister(context, request.InstanceId as string);
    return {};
  },
);
