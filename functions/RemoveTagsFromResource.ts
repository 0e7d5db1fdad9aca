import type { RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { resourceTags } from "../shared/services/resource-tags.ts";
import { RemoveTagsFromResource } from "../shared/validation/generated/operations/RemoveTagsFromResource.ts";

export const handler = ssmOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(
  RemoveTagsFromResource,
  (request, context, runtime) => runtime.get(resourceTags).remove(context, request),
);
