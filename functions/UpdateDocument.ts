import type { UpdateDocumentRequest, UpdateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateDocument } from "../shared/validation/generated/operations/UpdateDocument.ts";

export const handler = ssmOperation<UpdateDocumentRequest, UpdateDocumentResult>(
  UpdateDocument,
  async (request, context, services) => ({ DocumentDescription: await services.documents.update(context, request) }),
);
