import type { DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { executions } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult>(
  "DescribeAssociationExecutions",
  (request, context) => executions().describeExecutions(context, request),
);
