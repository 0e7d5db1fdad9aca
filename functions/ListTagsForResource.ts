import type { ListTagsForResourceRequest, ListTagsForResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListTagsForResource } from "../shared/validation/generated/operations/ListTagsForResource.ts";

export const handler = ssmOperation<ListTagsForResourceRequest, ListTagsForResourceResult>(
  ListTagsForResource,
  async (request, context, services) => ({
    TagList: await services.resourceTags.list(context, request.ResourceType as string, request.ResourceId as string),
  }),
);
