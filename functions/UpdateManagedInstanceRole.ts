import type { UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { UpdateManagedInstanceRole } from "../shared/validation/generated/operations/UpdateManagedInstanceRole.ts";

export const handler = ssmOperation<UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult>(
  UpdateManagedInstanceRole,
  async (request, context, runtime) => {
    await runtime.get(nodes).updateRole(context, request.InstanceId as string, request.IamRole as string);
    return {};
  },
);
