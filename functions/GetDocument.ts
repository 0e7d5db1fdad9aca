import type { GetDocumentRequest, GetDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { GetDocument } from "../shared/validation/generated/operations/GetDocument.ts";

export const handler = ssmOperation<GetDocumentRequest, GetDocumentResult>(GetDocument, (request, context, runtime) =>
  runtime.get(documents).get(context, request),
);
