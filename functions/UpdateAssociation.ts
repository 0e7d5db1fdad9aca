import type { UpdateAssociationRequest, UpdateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateAssociation } from "../shared/validation/generated/operations/UpdateAssociation.ts";

export const handler = ssmOperation<UpdateAssociationRequest, UpdateAssociationResult>(
  UpdateAssociation,
  async (request, context, services) => ({
    AssociationDescription: await services.associations.update(context, request),
  }),
);
