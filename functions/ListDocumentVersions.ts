import type { ListDocumentVersionsRequest, ListDocumentVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { ListDocumentVersions } from "../shared/validation/generated/operations/ListDocumentVersions.ts";

export const handler = ssmOperation<ListDocumentVersionsRequest, ListDocumentVersionsResult>(
  ListDocumentVersions,
  (request, context, runtime) => runtime.get(documentRegistry).listVersions(context, request),
);
