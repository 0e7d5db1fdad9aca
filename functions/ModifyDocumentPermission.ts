import type { ModifyDocumentPermissionRequest, ModifyDocumentPermissionResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ModifyDocumentPermission } from "../shared/validation/generated/operations/ModifyDocumentPermission.ts";

export const handler = ssmOperation<ModifyDocumentPermissionRequest, ModifyDocumentPermissionResponse>(
  ModifyDocumentPermission,
  async (request, context, services) => {
    await services.documentSharing.modify(context, request);
    return {};
  },
);
