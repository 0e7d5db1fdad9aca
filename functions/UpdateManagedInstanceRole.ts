import type { UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateManagedInstanceRole } from "../shared/validation/generated/operations/UpdateManagedInstanceRole.ts";

export const handler = ssmOperation<UpdateManagedInstanceRoleRequest, UpdateManagedInstanceRoleResult>(
  UpdateManagedInstanceRole,
  async (request, context, services) => {
    await services.nodes.updateRole(context, request.InstanceId as string, request.IamRole as string);
    return {};
  },
);
