import type { DeleteDocumentRequest, DeleteDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { DeleteDocument } from "../shared/validation/generated/operations/DeleteDocument.ts";

export const handler = ssmOperation<DeleteDocumentRequest, DeleteDocumentResult>(
  DeleteDocument,
  async (request, context, runtime) => {
    await runtime.get(documentRegistry).delete(context, request);
    return {};
  },
);
