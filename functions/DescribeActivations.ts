import type { DescribeActivationsRequest, DescribeActivationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<DescribeActivationsRequest, DescribeActivationsResult>(
  "DescribeActivations",
  (request, context, services) => services.nodes.describeActivations(context, request),
);
