import type { DescribeActivationsRequest, DescribeActivationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeActivations } from "../shared/validation/generated/operations/DescribeActivations.ts";

export const handler = ssmOperation<DescribeActivationsRequest, DescribeActivationsResult>(
  DescribeActivations,
  (request, context, services) => services.nodes.describeActivations(context, request),
);
