import type { GetDocumentRequest, GetDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRetrieval } from "../shared/services/document-retrieval.ts";
import { GetDocument } from "../shared/validation/generated/operations/GetDocument.ts";

export const handler = ssmOperation<GetDocumentRequest, GetDocumentResult>(GetDocument, (request, context, runtime) =>
  runtime.get(documentRetrieval).get(context, request),
);
