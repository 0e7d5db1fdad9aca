import type { CreateDocumentRequest, CreateDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<CreateDocumentRequest, CreateDocumentResult>(
  "CreateDocument",
  async (request, context) => ({ DocumentDescription: await documents().create(context, request) }),
);
