import type { CreateDocumentRequest, CreateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { CreateDocument } from "../shared/validation/generated/operations/CreateDocument.ts";

export const handler = ssmOperation<CreateDocumentRequest, CreateDocumentResult>(
  CreateDocument,
  async (request, context, runtime) => ({ DocumentDescription: await runtime.get(documents).create(context, request) }),
);
