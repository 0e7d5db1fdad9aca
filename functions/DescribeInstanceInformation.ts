import type { DescribeInstanceInformationRequest, DescribeInstanceInformationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { DescribeInstanceInformation } from "../shared/validation/generated/operations/DescribeInstanceInformation.ts";

export const handler = ssmOperation<DescribeInstanceInformationRequest, DescribeInstanceInformationResult>(
  DescribeInstanceInformation,
  (request, context, runtime) => runtime.get(nodes).describeInstanceInformation(context, request),
);
