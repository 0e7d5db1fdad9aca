import type { UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult>(
  "UpdateManagedInstanceRole",
  async (request, context) => {
    await nodes().updateRole(context, request.InstanceId as string, request.IamRole as string);
    return {};
  },
);
