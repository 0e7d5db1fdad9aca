import type {
  ListResourceComplianceSummariesRequest,
  ListResourceComplianceSummariesResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { compliance } from "../shared/services/compliance.ts";
import { ListResourceComplianceSummaries } from "../shared/validation/generated/operations/ListResourceComplianceSummaries.ts";

export const handler = ssmOperation<ListResourceComplianceSummariesRequest, ListResourceComplianceSummariesResult>(
  ListResourceComplianceSummaries,
  (request, context, runtime) => runtime.get(compliance).listSummaries(context, request),
);
