import type {
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { instanceAssociations } from "../shared/runtime.ts";

export const handler = ssmOperation<
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult
>("DescribeInstanceAssociationsStatus", (request, context) =>
  instanceAssociations().statuses(context, request.InstanceId as string, request.MaxResults, request.NextToken),
);
