import type { DescribeDocumentRequest, DescribeDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { DescribeDocument } from "../shared/validation/generated/operations/DescribeDocument.ts";

export const handler = ssmOperation<DescribeDocumentRequest, DescribeDocumentResult>(
  DescribeDocument,
  async (request, context, services) => ({ Document: await services.documents.describe(context, request) }),
);
