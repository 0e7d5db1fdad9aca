import type {
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { instanceAssociations } from "../shared/runtime.ts";

export const handler = ssmOperation<
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult
>("DescribeEffectiveInstanceAssociations", (request, context) =>
  instanceAssociations().effective(context, request.InstanceId as string, request.MaxResults, request.NextToken),
);
