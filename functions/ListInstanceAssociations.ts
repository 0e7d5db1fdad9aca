/** Agent-facing: the associations that apply to a node, and whether each run is due now. */
import { ssmOperation } from "../shared/protocol/operation.ts";
import { instanceAssociations } from "../shared/runtime.ts";

export const handler = ssmOperation<{ InstanceId: string; MaxResults?: number; NextToken?: string }, unknown>(
  "ListInstanceAssociations",
  (request, context) => instanceAssociations().list(context, request.InstanceId, request.MaxResults, request.NextToken),
);
