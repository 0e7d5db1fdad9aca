import type { ListComplianceItemsRequest, ListComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { compliance } from "../shared/runtime.ts";

export const handler = ssmOperation<ListComplianceItemsRequest, ListComplianceItemsResult>(
  "ListComplianceItems",
  (request, context) => compliance().listItems(context, request),
);
