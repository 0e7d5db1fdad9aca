import type { PutComplianceItemsRequest, PutComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { PutComplianceItems } from "../shared/validation/generated/operations/PutComplianceItems.ts";

export const handler = ssmOperation<PutComplianceItemsRequest, PutComplianceItemsResult>(
  PutComplianceItems,
  async (request, context, services) => {
    await services.compliance.put(context, request);
    return {};
  },
);
