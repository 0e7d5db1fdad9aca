import type {
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeAssociationExecutionTargets } from "../shared/validation/generated/operations/DescribeAssociationExecutionTargets.ts";

export const handler = ssmOperation<
  DescribeAssociationExecutionTargetsRequest,
  DescribeAssociationExecutionTargetsResult
>(DescribeAssociationExecutionTargets, (request, context, services) =>
  services.executions.describeTargets(context, request),
);
