import type { RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";

export const handler = ssmOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(
  "RemoveTagsFromResource",
  (request, context, services) => services.resourceTags.remove(context, request),
);
