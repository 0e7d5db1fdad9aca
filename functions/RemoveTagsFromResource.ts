import type { RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { resourceTags } from "../shared/runtime.ts";

export const handler = ssmOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(
  "RemoveTagsFromResource",
  async (request, context) => {
    await resourceTags().remove(
      context,
      request.ResourceType as string,
      request.ResourceId as string,
      request.TagKeys ?? [],
    );
    return {};
  },
);
