/**
 * AddTagsToResource, ListTagsForResource and RemoveTagsFromResource, for every resource type
 * this service holds. Each resource type keeps its tags on its own head item; this module only
 * finds the resource and does the tag arithmetic.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { InvalidResourceId, InvalidResourceType } from "../errors.ts";
import type { Scope } from "../protocol/request-context.ts";
import type { Documents } from "./documents/documents.ts";
import { assertTagsWithinLimit, mergeTags, removeTags } from "./tags.ts";

/** Resource types that can be tagged here; the others of the API are not held by this service. */
const SUPPORTED_TYPES = ["Document"] as const;

export class ResourceTags {
  constructor(private readonly documents: Documents) {}

  async list(scope: Scope, resourceType: string, resourceId: string): Promise<Tag[]> {
    return (await this.document(scope, resourceType, resourceId)).Tags;
  }

  async add(scope: Scope, resourceType: string, resourceId: string, tags: Tag[]): Promise<void> {
    const document = await this.document(scope, resourceType, resourceId);
    const merged = mergeTags(document.Tags, tags);
    assertTagsWithinLimit(merged);
    await this.documents.putTags(scope, document, merged);
  }

  async remove(scope: Scope, resourceType: string, resourceId: string, tagKeys: string[]): Promise<void> {
    const document = await this.document(scope, resourceType, resourceId);
    await this.documents.putTags(scope, document, removeTags(document.Tags, tagKeys));
  }

  private async document(scope: Scope, resourceType: string, resourceId: string) {
    if (!(SUPPORTED_TYPES as readonly string[]).includes(resourceType)) {
      throw new InvalidResourceType(
        `The resource type ${resourceType} is not supported. Supported resource types: ${SUPPORTED_TYPES.join(", ")}.`,
      );
    }
    const document = await this.documents.ownDocument(scope, resourceId);
    if (!document)
      throw new InvalidResourceId(`The resource ID ${resourceId} is not valid. Verify the ID and try again.`);
    return document;
  }
}
