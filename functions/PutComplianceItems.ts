import type { PutComplianceItemsRequest, PutComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { compliance } from "../shared/services/compliance.ts";
import { PutComplianceItems } from "../shared/validation/generated/operations/PutComplianceItems.ts";

export const handler = ssmOperation<PutComplianceItemsRequest, PutComplianceItemsResult>(
  PutComplianceItems,
  async (request, context, runtime) => {
    await runtime.get(compliance).put(context, request);
    return {};
  },
);
