import type { AddTagsToResourceRequest, AddTagsToResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { resourceTags } from "../shared/runtime.ts";

export const handler = ssmOperation<AddTagsToResourceRequest, AddTagsToResourceResult>(
  "AddTagsToResource",
  async (request, context) => {
    await resourceTags().add(context, request.ResourceType as string, request.ResourceId as string, request.Tags ?? []);
    return {};
  },
);
