import type { UpdateAssociationStatusRequest, UpdateAssociationStatusResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<UpdateAssociationStatusRequest, UpdateAssociationStatusResult>(
  "UpdateAssociationStatus",
  async (request, context) => ({ AssociationDescription: await associations().updateStatus(context, request) }),
);
