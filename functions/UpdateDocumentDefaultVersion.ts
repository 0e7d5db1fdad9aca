import type { UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { UpdateDocumentDefaultVersion } from "../shared/validation/generated/operations/UpdateDocumentDefaultVersion.ts";

export const handler = ssmOperation<UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult>(
  UpdateDocumentDefaultVersion,
  (request, context, runtime) => runtime.get(documentRegistry).setDefaultVersion(context, request),
);
