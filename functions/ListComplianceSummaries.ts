import type { ListComplianceSummariesRequest, ListComplianceSummariesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { compliance } from "../shared/services/compliance.ts";
import { ListComplianceSummaries } from "../shared/validation/generated/operations/ListComplianceSummaries.ts";

export const handler = ssmOperation<ListComplianceSummariesRequest, ListComplianceSummariesResult>(
  ListComplianceSummaries,
  (request, context, runtime) => runtime.get(compliance).listComplianceSummaries(context, request),
);
