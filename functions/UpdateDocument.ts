import type { UpdateDocumentRequest, UpdateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { UpdateDocument } from "../shared/validation/generated/operations/UpdateDocument.ts";

export const handler = ssmOperation<UpdateDocumentRequest, UpdateDocumentResult>(
  UpdateDocument,
  async (request, context, runtime) => ({ DocumentDescription: await runtime.get(documents).update(context, request) }),
);
