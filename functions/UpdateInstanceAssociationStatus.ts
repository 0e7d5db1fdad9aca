/** Agent-facing: one node's result for one association, rolled up on the association. */
import type { ExecutionResult } from "../shared/domain/associations/instance-associations.ts";
import { ssmOperation } from "../shared/handler.ts";
import { instanceAssociations } from "../shared/services/instance-associations.ts";
import { UpdateInstanceAssociationStatus } from "../shared/validation/generated/operations/UpdateInstanceAssociationStatus.ts";

export const handler = ssmOperation<
  { AssociationId: string; InstanceId: string; ExecutionResult: ExecutionResult },
  Record<string, never>
>(UpdateInstanceAssociationStatus, async (request, context, runtime) => {
  await runtime
    .get(instanceAssociations)
    .report(context, request.AssociationId, request.InstanceId, request.ExecutionResult);
  return {};
});
