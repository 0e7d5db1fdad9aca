import type { CreateAssociationBatchRequest, CreateAssociationBatchResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { CreateAssociationBatch } from "../shared/validation/generated/operations/CreateAssociationBatch.ts";

export const handler = ssmOperation<CreateAssociationBatchRequest, CreateAssociationBatchResult>(
  CreateAssociationBatch,
  (request, context, services) => services.associations.createBatch(context, request.Entries ?? []),
);
