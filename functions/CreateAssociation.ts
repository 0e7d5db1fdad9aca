import type { CreateAssociationRequest, CreateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { CreateAssociation } from "../shared/validation/generated/operations/CreateAssociation.ts";

export const handler = ssmOperation<CreateAssociationRequest, CreateAssociationResult>(
  CreateAssociation,
  async (request, context, runtime) => ({
    AssociationDescription: await runtime.get(associations).create(context, request),
  }),
);
