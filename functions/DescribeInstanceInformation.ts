import type { DescribeInstanceInformationRequest, DescribeInstanceInformationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<DescribeInstanceInformationRequest, DescribeInstanceInformationResult>(
  "DescribeInstanceInformation",
  (request, context, services) => services.nodes.describeInstanceInformation(context, request),
);
