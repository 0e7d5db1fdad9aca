/** A new run of each association now; the targeted agents see it as due on their next poll. */
import type { StartAssociationsOnceRequest, StartAssociationsOnceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { executions } from "../shared/services/executions.ts";
import { StartAssociationsOnce } from "../shared/validation/generated/operations/StartAssociationsOnce.ts";

export const handler = ssmOperation<StartAssociationsOnceRequest, StartAssociationsOnceResult>(
  StartAssociationsOnce,
  async (request, context, runtime) => {
    await runtime.get(executions).startOnce(context, request.AssociationIds as string[]);
    return {};
  },
);
