import type { CreateAssociationBatchRequest, CreateAssociationBatchResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<CreateAssociationBatchRequest, CreateAssociationBatchResult>(
  "CreateAssociationBatch",
  (request, context) => associations().createBatch(context, request.Entries ?? []),
);
