import type { UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { UpdateDocumentDefaultVersion } from "../shared/validation/generated/operations/UpdateDocumentDefaultVersion.ts";

export const handler = ssmOperation<UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult>(
  UpdateDocumentDefaultVersion,
  (request, context, runtime) => runtime.get(documents).setDefaultVersion(context, request),
);
