import type { DescribeParametersRequest, DescribeParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeParameters } from "../shared/validation/generated/operations/DescribeParameters.ts";

export const handler = ssmOperation<DescribeParametersRequest, DescribeParametersResult>(
  DescribeParameters,
  async (request, context, services) => (await services.parameters()).describe(context, request),
);
