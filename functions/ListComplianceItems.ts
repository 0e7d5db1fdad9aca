import type { ListComplianceItemsRequest, ListComplianceItemsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListComplianceItems } from "../shared/validation/generated/operations/ListComplianceItems.ts";

export const handler = ssmOperation<ListComplianceItemsRequest, ListComplianceItemsResult>(
  ListComplianceItems,
  (request, context, services) => services.compliance.listItems(context, request),
);
