import type { PutComplianceItemsRequest, PutComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { compliance } from "../shared/runtime.ts";

export const handler = ssmOperation<PutComplianceItemsRequest, PutComplianceItemsResult>(
  "PutComplianceItems",
  async (request, context) => {
    await compliance().put(context, request);
    return {};
  },
);
