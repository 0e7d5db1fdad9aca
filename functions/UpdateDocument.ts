import type { UpdateDocumentRequest, UpdateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<UpdateDocumentRequest, UpdateDocumentResult>(
  "UpdateDocument",
  async (request, context) => ({ DocumentDescription: await documents().update(context, request) }),
);
