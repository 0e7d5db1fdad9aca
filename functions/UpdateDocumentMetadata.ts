import type { UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateDocumentMetadata } from "../shared/validation/generated/operations/UpdateDocumentMetadata.ts";

export const handler = ssmOperation<UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse>(
  UpdateDocumentMetadata,
  async (request, context, services) => {
    await services.documents.updateMetadata(context, request);
    return {};
  },
);
