import type { UpdateAssociationStatusRequest, UpdateAssociationStatusResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { UpdateAssociationStatus } from "../shared/validation/generated/operations/UpdateAssociationStatus.ts";

export const handler = ssmOperation<UpdateAssociationStatusRequest, UpdateAssociationStatusResult>(
  UpdateAssociationStatus,
  async (request, context, runtime) => ({
    AssociationDescription: await runtime.get(associations).updateStatus(context, request),
  }),
);
