import type {
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeEffectiveInstanceAssociations } from "../shared/validation/generated/operations/DescribeEffectiveInstanceAssociations.ts";

export const handler = ssmOperation<
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult
>(DescribeEffectiveInstanceAssociations, (request, context, services) =>
  services.instanceAssociations.effective(context, request),
);
