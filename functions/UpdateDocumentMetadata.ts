import type { UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse>(
  "UpdateDocumentMetadata",
  async (request, context, services) => {
    await services.documents.updateMetadata(context, request);
    return {};
  },
);
