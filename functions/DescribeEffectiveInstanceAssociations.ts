import type {
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { instanceAssociations } from "../shared/services/instance-associations.ts";
import { DescribeEffectiveInstanceAssociations } from "../shared/validation/generated/operations/DescribeEffectiveInstanceAssociations.ts";

export const handler = ssmOperation<
  DescribeEffectiveInstanceAssociationsRequest,
  DescribeEffectiveInstanceAssociationsResult
>(DescribeEffectiveInstanceAssociations, (request, context, runtime) =>
  runtime.get(instanceAssociations).effective(context, request),
);
