import type { AddTagsToResourceRequest, AddTagsToResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { resourceTags } from "../shared/services/resource-tags.ts";
import { AddTagsToResource } from "../shared/validation/generated/operations/AddTagsToResource.ts";

export const handler = ssmOperation<AddTagsToResourceRequest, AddTagsToResourceResult>(
  AddTagsToResource,
  (request, context, runtime) => runtime.get(resourceTags).add(context, request),
);
