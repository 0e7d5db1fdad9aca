import type { CreateDocumentRequest, CreateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { CreateDocument } from "../shared/validation/generated/operations/CreateDocument.ts";

export const handler = ssmOperation<CreateDocumentRequest, CreateDocumentResult>(
  CreateDocument,
  async (request, context, services) => ({ DocumentDescription: await services.documents.create(context, request) }),
);
