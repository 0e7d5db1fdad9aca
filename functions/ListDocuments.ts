import type { ListDocumentsRequest, ListDocumentsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<ListDocumentsRequest, ListDocumentsResult>("ListDocuments", (request, context) =>
  documents().list(context, request),
);
