import type { GetDocumentRequest, GetDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<GetDocumentRequest, GetDocumentResult>("GetDocument", (request, context) =>
  documents().get(context, request),
);
