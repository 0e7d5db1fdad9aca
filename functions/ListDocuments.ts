import type { ListDocumentsRequest, ListDocumentsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { ListDocuments } from "../shared/validation/generated/operations/ListDocuments.ts";

export const handler = ssmOperation<ListDocumentsRequest, ListDocumentsResult>(
  ListDocuments,
  (request, context, runtime) => runtime.get(documents).list(context, request),
);
