import type { ListComplianceItemsRequest, ListComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { compliance } from "../shared/services/compliance.ts";
import { ListComplianceItems } from "../shared/validation/generated/operations/ListComplianceItems.ts";

export const handler = ssmOperation<ListComplianceItemsRequest, ListComplianceItemsResult>(
  ListComplianceItems,
  (request, context, runtime) => runtime.get(compliance).listItems(context, request),
);
