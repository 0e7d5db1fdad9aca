import type { UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateDocumentDefaultVersion } from "../shared/validation/generated/operations/UpdateDocumentDefaultVersion.ts";

export const handler = ssmOperation<UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult>(
  UpdateDocumentDefaultVersion,
  (request, context, services) => services.documents.setDefaultVersion(context, request),
);
