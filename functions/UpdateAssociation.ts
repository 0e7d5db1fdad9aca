import type { UpdateAssociationRequest, UpdateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { UpdateAssociation } from "../shared/validation/generated/operations/UpdateAssociation.ts";

export const handler = ssmOperation<UpdateAssociationRequest, UpdateAssociationResult>(
  UpdateAssociation,
  async (request, context, runtime) => ({
    AssociationDescription: await runtime.get(associations).update(context, request),
  }),
);
