import type { ListTagsForResourceRequest, ListTagsForResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { resourceTags } from "../shared/services/resource-tags.ts";
import { ListTagsForResource } from "../shared/validation/generated/operations/ListTagsForResource.ts";

export const handler = ssmOperation<ListTagsForResourceRequest, ListTagsForResourceResult>(
  ListTagsForResource,
  async (request, context, runtime) => ({
    TagList: await runtime
      .get(resourceTags)
      .list(context, request.ResourceType as string, request.ResourceId as string),
  }),
);
