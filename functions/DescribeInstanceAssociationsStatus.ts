import type {
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { instanceAssociations } from "../shared/services/instance-associations.ts";
import { DescribeInstanceAssociationsStatus } from "../shared/validation/generated/operations/DescribeInstanceAssociationsStatus.ts";

export const handler = ssmOperation<
  DescribeInstanceAssociationsStatusRequest,
  DescribeInstanceAssociationsStatusResult
>(DescribeInstanceAssociationsStatus, (request, context, runtime) =>
  runtime.get(instanceAssociations).statuses(context, request),
);
