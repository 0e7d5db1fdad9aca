import type { DeleteAssociationRequest, DeleteAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { DeleteAssociation } from "../shared/validation/generated/operations/DeleteAssociation.ts";

export const handler = ssmOperation<DeleteAssociationRequest, DeleteAssociationResult>(
  DeleteAssociation,
  async (request, context, runtime) => {
    await runtime.get(associations).delete(context, request);
    return {};
  },
);
