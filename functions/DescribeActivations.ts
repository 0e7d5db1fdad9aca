import type { DescribeActivationsRequest, DescribeActivationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeActivationsRequest, DescribeActivationsResult>(
  "DescribeActivations",
  (request, context) => nodes().describeActivations(context, request),
);
