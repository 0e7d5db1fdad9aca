import type { DescribeAssociationRequest, DescribeAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeAssociation } from "../shared/validation/generated/operations/DescribeAssociation.ts";

export const handler = ssmOperation<DescribeAssociationRequest, DescribeAssociationResult>(
  DescribeAssociation,
  async (request, context, services) => ({
    AssociationDescription: await services.associations.describe(context, request),
  }),
);
