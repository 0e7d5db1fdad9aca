import type { DescribeActivationsRequest, DescribeActivationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { DescribeActivations } from "../shared/validation/generated/operations/DescribeActivations.ts";

export const handler = ssmOperation<DescribeActivationsRequest, DescribeActivationsResult>(
  DescribeActivations,
  (request, context, runtime) => runtime.get(nodes).describeActivations(context, request),
);
