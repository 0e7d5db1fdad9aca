import type { DescribeParametersRequest, DescribeParametersResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { parameters } from "../shared/services/parameters.ts";
import { DescribeParameters } from "../shared/validation/generated/operations/DescribeParameters.ts";

export const handler = ssmOperation<DescribeParametersRequest, DescribeParametersResult>(
  DescribeParameters,
  async (request, context, runtime) => (await runtime.get(parameters)).describe(context, request),
);
