import type {
  ListResourceComplianceSummariesRequest,
  ListResourceComplianceSummariesResult,
} from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListResourceComplianceSummaries } from "../shared/validation/generated/operations/ListResourceComplianceSummaries.ts";

export const handler = ssmOperation<ListResourceComplianceSummariesRequest, ListResourceComplianceSummariesResult>(
  ListResourceComplianceSummaries,
  (request, context, services) => services.compliance.listSummaries(context, request),
);
