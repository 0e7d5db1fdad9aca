import type { DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeAssociationExecutions } from "../shared/validation/generated/operations/DescribeAssociationExecutions.ts";

export const handler = ssmOperation<DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult>(
  DescribeAssociationExecutions,
  (request, context, services) => services.executions.describeExecutions(context, request),
);
