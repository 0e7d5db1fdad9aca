import type {
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeInstanceAssociationsStatus } from "../shared/validation/generated/operations/DescribeInstanceAssociationsStatus.ts";

export const handler = ssmOperation<
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult
>(DescribeInstanceAssociationsStatus, (request, context, services) =>
  services.instanceAssociations.statuses(context, request),
);
