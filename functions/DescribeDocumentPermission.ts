import type { DescribeDocumentPermissionRequest, DescribeDocumentPermissionResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeDocumentPermission } from "../shared/validation/generated/operations/DescribeDocumentPermission.ts";

export const handler = ssmOperation<DescribeDocumentPermissionRequest, DescribeDocumentPermissionResponse>(
  DescribeDocumentPermission,
  (request, context, services) => services.documentSharing.describe(context, request),
);
