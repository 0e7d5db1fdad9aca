import type { DescribeDocumentRequest, DescribeDocumentResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { documents } from "../shared/runtime.ts";

export const handler = ssmOperation<DescribeDocumentRequest, DescribeDocumentResult>(
  "DescribeDocument",
  async (request, context) => ({ Document: await documents().describe(context, request) }),
);
