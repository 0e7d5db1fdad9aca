/**
 * The domain services a handler calls, wired once per process from configuration: the DynamoDB
 * client and table name are injected here and nowhere else.
 */
import { config } from "./config.ts";
import { Documents } from "./domain/documents/documents.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";

let documentsService: Documents | undefined;
let resourceTagsService: ResourceTags | undefined;

export function documents(): Documents {
  documentsService ??= new Documents(new DynamoDocumentStore(documentClient(), config().tableName));
  return documentsService;
}

export function resourceTags(): ResourceTags {
  resourceTagsService ??= new ResourceTags(documents());
  return resourceTagsService;
}
