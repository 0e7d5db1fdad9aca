import type { ListComplianceSummariesRequest, ListComplianceSummariesResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { compliance } from "../shared/runtime.ts";

export const handler = ssmOperation<ListComplianceSummariesRequest, ListComplianceSummariesResult>(
  "ListComplianceSummaries",
  (request, context) => compliance().listComplianceSummaries(context, request),
);
