import type { ListDocumentVersionsRequest, ListDocumentVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<ListDocumentVersionsRequest, ListDocumentVersionsResult>(
  "ListDocumentVersions",
  (request, context) => documents().listVersions(context, request),
);
