import type { DescribeDocumentPermissionRequest, DescribeDocumentPermissionResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentSharing } from "../shared/services/document-registry.ts";
import { DescribeDocumentPermission } from "../shared/validation/generated/operations/DescribeDocumentPermission.ts";

export const handler = ssmOperation<DescribeDocumentPermissionRequest, DescribeDocumentPermissionResponse>(
  DescribeDocumentPermission,
  (request, context, runtime) => runtime.get(documentSharing).describe(context, request),
);
