import type { DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { executions } from "../shared/services/executions.ts";
import { DescribeAssociationExecutions } from "../shared/validation/generated/operations/DescribeAssociationExecutions.ts";

export const handler = ssmOperation<DescribeAssociationExecutionsRequest, DescribeAssociationExecutionsResult>(
  DescribeAssociationExecutions,
  (request, context, runtime) => runtime.get(executions).describeExecutions(context, request),
);
