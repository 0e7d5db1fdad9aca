import type { UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<UpdateDocumentDefaultVersionRequest, UpdateDocumentDefaultVersionResult>(
  "UpdateDocumentDefaultVersion",
  (request, context) => documents().setDefaultVersion(context, request),
);
