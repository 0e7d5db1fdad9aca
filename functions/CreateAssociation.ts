import type { CreateAssociationRequest, CreateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { CreateAssociation } from "../shared/validation/generated/operations/CreateAssociation.ts";

export const handler = ssmOperation<CreateAssociationRequest, CreateAssociationResult>(
  CreateAssociation,
  async (request, context, services) => ({
    AssociationDescription: await services.associations.create(context, request),
  }),
);
