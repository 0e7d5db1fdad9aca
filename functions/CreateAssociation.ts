import type { CreateAssociationRequest, CreateAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<CreateAssociationRequest, CreateAssociationResult>(
  "CreateAssociation",
  async (request, context) => ({ AssociationDescription: await associations().create(context, request) }),
);
