import type {
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { executions } from "../shared/services/executions.ts";
import { DescribeAssociationExecutionTargets } from "../shared/validation/generated/operations/DescribeAssociationExecutionTargets.ts";

export const handler = ssmOperation<
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult
>(DescribeAssociationExecutionTargets, (request, context, runtime) =>
  runtime.get(executions).describeTargets(context, request),
);
