import type { ListComplianceSummariesRequest, ListComplianceSummariesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListComplianceSummaries } from "../shared/validation/generated/operations/ListComplianceSummaries.ts";

export const handler = ssmOperation<ListComplianceSummariesRequest, ListComplianceSummariesResult>(
  ListComplianceSummaries,
  (request, context, services) => services.compliance.listComplianceSummaries(context, request),
);
