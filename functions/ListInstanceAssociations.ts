/** Agent-facing: the associations that apply to a node, and whether each run is due now. */
import { ssmOperation } from "../shared/handler.ts";
import { instanceAssociations } from "../shared/services/instance-associations.ts";
import { ListInstanceAssociations } from "../shared/validation/generated/operations/ListInstanceAssociations.ts";

export const handler = ssmOperation<{ InstanceId: string; MaxResults?: number; NextToken?: string }, unknown>(
  ListInstanceAssociations,
  (request, context, runtime) =>
    runtime.get(instanceAssociations).list(context, request.InstanceId, request.MaxResults, request.NextToken),
);
