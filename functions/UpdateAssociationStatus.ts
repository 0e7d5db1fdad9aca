import type { UpdateAssociationStatusRequest, UpdateAssociationStatusResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { UpdateAssociationStatus } from "../shared/validation/generated/operations/UpdateAssociationStatus.ts";

export const handler = ssmOperation<UpdateAssociationStatusRequest, UpdateAssociationStatusResult>(
  UpdateAssociationStatus,
  async (request, context, services) => ({
    AssociationDescription: await services.associations.updateStatus(context, request),
  }),
);
