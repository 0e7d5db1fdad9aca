import type { DescribeDocumentRequest, DescribeDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { documentRegistry } from "../shared/services/document-registry.ts";
import { DescribeDocument } from "../shared/validation/generated/operations/DescribeDocument.ts";

export const handler = ssmOperation<DescribeDocumentRequest, DescribeDocumentResult>(
  DescribeDocument,
  async (request, context, runtime) => ({ Document: await runtime.get(documentRegistry).describe(context, request) }),
);
