import type { DeleteDocumentRequest, DeleteDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<DeleteDocumentRequest, DeleteDocumentResult>(
  "DeleteDocument",
  async (request, context) => {
    await documents().delete(context, request);
    return {};
  },
);
