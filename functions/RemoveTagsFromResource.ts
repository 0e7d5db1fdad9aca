import type { RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { RemoveTagsFromResource } from "../shared/validation/generated/operations/RemoveTagsFromResource.ts";

export const handler = ssmOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(
  RemoveTagsFromResource,
  (request, context, services) => services.resourceTags.remove(context, request),
);
