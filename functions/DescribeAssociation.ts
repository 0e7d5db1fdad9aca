import type { DescribeAssociationRequest, DescribeAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeAssociationRequest, DescribeAssociationResult>(
  "DescribeAssociation",
  async (request, context) => ({ AssociationDescription: await associations().describe(context, request) }),
);
