import type { DeleteAssociationRequest, DeleteAssociationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<DeleteAssociationRequest, DeleteAssociationResult>(
  "DeleteAssociation",
  async (request, context) => {
    await associations().delete(context, request);
    return {};
  },
);
