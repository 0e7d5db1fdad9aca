import type { DescribeInstanceInformationRequest, DescribeInstanceInformationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeInstanceInformationRequest, DescribeInstanceInformationResult>(
  "DescribeInstanceInformation",
  (request, context) => nodes().describeInstanceInformation(context, request),
);
