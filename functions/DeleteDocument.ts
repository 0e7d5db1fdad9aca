import type { DeleteDocumentRequest, DeleteDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { DeleteDocument } from "../shared/validation/generated/operations/DeleteDocument.ts";

export const handler = ssmOperation<DeleteDocumentRequest, DeleteDocumentResult>(
  DeleteDocument,
  async (request, context, runtime) => {
    await runtime.get(documents).delete(context, request);
    return {};
  },
);
