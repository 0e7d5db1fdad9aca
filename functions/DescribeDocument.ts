import type { DescribeDocumentRequest, DescribeDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documents } from "../shared/services/documents.ts";
import { DescribeDocument } from "../shared/validation/generated/operations/DescribeDocument.ts";

export const handler = ssmOperation<DescribeDocumentRequest, DescribeDocumentResult>(
  DescribeDocument,
  async (request, context, runtime) => ({ Document: await runtime.get(documents).describe(context, request) }),
);
