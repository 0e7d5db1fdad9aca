import type { UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { UpdateDocumentMetadata } from "../shared/validation/generated/operations/UpdateDocumentMetadata.ts";

export const handler = ssmOperation<UpdateDocumentMetadataRequest, UpdateDocumentMetadataResponse>(
  UpdateDocumentMetadata,
  async (request, context, runtime) => {
    await runtime.get(documentRegistry).updateMetadata(context, request);
    return {};
  },
);
