import type {
  ListResourceComplianceSummariesRequest,
  ListResourceComplianceSummariesResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { compliance } from "../shared/runtime.ts";

export const handler = ssmOperation<ListResourceComplianceSummariesRequest, ListResourceComplianceSummariesResult>(
  "ListResourceComplianceSummaries",
  (request, context) => compliance().listSummaries(context, request),
);
