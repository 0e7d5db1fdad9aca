import type { AddTagsToResourceRequest, AddTagsToResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<AddTagsToResourceRequest, AddTagsToResourceResult>(
  "AddTagsToResource",
  async (request, context, services) => {
    await services.resourceTags.add(
      context,
      request.ResourceType as string,
      request.ResourceId as string,
      request.Tags ?? [],
    );
    return {};
  },
);
