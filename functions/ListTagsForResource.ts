import type { ListTagsForResourceRequest, ListTagsForResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { resourceTags } from "../shared/runtime.ts";

export const handler = ssmOperation<ListTagsForResourceRequest, ListTagsForResourceResult>(
  "ListTagsForResource",
  async (request, context) => ({
    TagList: await resourceTags().list(context, request.ResourceType as string, request.ResourceId as string),
  }),
);
