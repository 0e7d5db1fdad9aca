import type {
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { executions } from "../shared/runtime.ts";

export const handler = ssmOperation<
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult
>("DescribeAssociationExecutionTargets", (request, context) => executions().describeTargets(context, request));
