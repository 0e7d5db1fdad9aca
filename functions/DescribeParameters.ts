import type { DescribeParametersRequest, DescribeParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { parameters } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeParametersRequest, DescribeParametersResult>(
  "DescribeParameters",
  async (request, context) => (await parameters()).describe(context, request),
);
