import type { UpdateAssociationRequest, UpdateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<UpdateAssociationRequest, UpdateAssociationResult>(
  "UpdateAssociation",
  async (request, context) => ({ AssociationDescription: await associations().update(context, request) }),
);
