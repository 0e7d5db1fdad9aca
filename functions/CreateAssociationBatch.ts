import type { CreateAssociationBatchRequest, CreateAssociationBatchResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { CreateAssociationBatch } from "../shared/validation/generated/operations/CreateAssociationBatch.ts";

export const handler = ssmOperation<CreateAssociationBatchRequest, CreateAssociationBatchResult>(
  CreateAssociationBatch,
  (request, context, runtime) => runtime.get(associations).createBatch(context, request.Entries ?? []),
);
