import type { ModifyDocumentPermissionRequest, ModifyDocumentPermissionResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentSharing } from "../shared/services/document-registry.ts";
import { ModifyDocumentPermission } from "../shared/validation/generated/operations/ModifyDocumentPermission.ts";

export const handler = ssmOperation<ModifyDocumentPermissionRequest, ModifyDocumentPermissionResponse>(
  ModifyDocumentPermission,
  async (request, context, runtime) => {
    await runtime.get(documentSharing).modify(context, request);
    return {};
  },
);
