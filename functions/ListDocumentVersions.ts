import type { ListDocumentVersionsRequest, ListDocumentVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { ListDocumentVersions } from "../shared/validation/generated/operations/ListDocumentVersions.ts";

export const handler = ssmOperation<ListDocumentVersionsRequest, ListDocumentVersionsResult>(
  ListDocumentVersions,
  (request, context, runtime) => runtime.get(documents).listVersions(context, request),
);
