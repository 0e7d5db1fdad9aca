import type { ListDocumentVersionsRequest, ListDocumentVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListDocumentVersions } from "../shared/validation/generated/operations/ListDocumentVersions.ts";

export const handler = ssmOperation<ListDocumentVersionsRequest, ListDocumentVersionsResult>(
  ListDocumentVersions,
  (request, context, services) => services.documents.listVersions(context, request),
);
