import type { RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(
  "RemoveTagsFromResource",
  async (request, context, services) => {
    await services.resourceTags.remove(
      context,
      request.ResourceType as string,
      request.ResourceId as string,
      request.TagKeys ?? [],
    );
    return {};
  },
);
