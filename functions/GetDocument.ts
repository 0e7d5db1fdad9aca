import type { GetDocumentRequest, GetDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<GetDocumentRequest, GetDocumentResult>(
  "GetDocument",
  (request, context, services) => services.documents.get(context, request),
);
