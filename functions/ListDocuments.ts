import type { ListDocumentsRequest, ListDocumentsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { ListDocuments } from "../shared/validation/generated/operations/ListDocuments.ts";

export const handler = ssmOperation<ListDocumentsRequest, ListDocumentsResult>(
  ListDocuments,
  (request, context, runtime) => runtime.get(documentRegistry).list(context, request),
);
