import type { DescribeAssociationRequest, DescribeAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { DescribeAssociation } from "../shared/validation/generated/operations/DescribeAssociation.ts";

export const handler = ssmOperation<DescribeAssociationRequest, DescribeAssociationResult>(
  DescribeAssociation,
  async (request, context, runtime) => ({
    AssociationDescription: await runtime.get(associations).describe(context, request),
  }),
);
