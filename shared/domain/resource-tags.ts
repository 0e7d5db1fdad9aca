/**
 * AddTagsToResource, ListTagsForResource and RemoveTagsFromResource, for every resource type
 * this service holds. Each resource type keeps its tags on its own head item; this module only
 * finds the resource and does the tag arithmetic.
 */
import type {
  AddTagsToResourceRequest,
  AddTagsToResourceResult,
  RemoveTagsFromResourceRequest,
  RemoveTagsFromResourceResult,
  Tag,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../context.ts";
import { InvalidResourceType } from "../errors.ts";
import type { Associations } from "./associations/associations.ts";
import type { DocumentReader } from "./documents/reader.ts";
import { invalidResourceId } from "./errors.ts";
import type { Nodes } from "./nodes/nodes.ts";
import type { Parameters } from "./parameters/parameters.ts";
import { assertTagsWithinLimit, mergeTags, removeTags } from "./tags.ts";

/** Resource types that can be tagged here; the others of the API are not held by this service. */
const SUPPORTED_TYPES = ["Document", "ManagedInstance", "Association", "Parameter"] as const;

/** One taggable resource: its tags, and how to replace them (conditionally on what was read). */
type Taggable = { tags: Tag[]; put: (tags: Tag[]) => Promise<void> };

export class ResourceTags {
  constructor(
    private readonly documents: DocumentReader,
    private readonly nodes: Nodes,
    private readonly associations: Associations,
    private readonly parameters: () => Promise<Parameters>,
  ) {}

  async list(scope: Scope, resourceType: string, resourceId: string): Promise<Tag[]> {
    return (await this.resource(scope, resourceType, resourceId)).tags;
  }

  /** AddTagsToResource: the request's tags merged over the resource's, within the tag limit. */
  async add(scope: Scope, request: AddTagsToResourceRequest): Promise<AddTagsToResourceResult> {
    const resource = await this.resource(scope, request.ResourceType as string, request.ResourceId as string);
    const merged = mergeTags(resource.tags, request.Tags ?? []);
    assertTagsWithinLimit(merged);
    await resource.put(merged);
    return {};
  }

  /** RemoveTagsFromResource: the resource's tags without the request's keys. */
  async remove(scope: Scope, request: RemoveTagsFromResourceRequest): Promise<RemoveTagsFromResourceResult> {
    const resource = await this.resource(scope, request.ResourceType as string, request.ResourceId as string);
    await resource.put(removeTags(resource.tags, request.TagKeys ?? []));
    return {};
  }

  private async resource(scope: Scope, resourceType: string, resourceId: string): Promise<Taggable> {
    if (resourceType === "Document") {
      const document = await this.documents.ownDocument(scope, resourceId);
      if (document) return { tags: document.Tags, put: (tags) => this.documents.putTags(scope, document, tags) };
    } else if (resourceType === "ManagedInstance") {
      const node = await this.nodes.node(scope, resourceId);
      if (node) return { tags: node.Tags, put: (tags) => this.nodes.putTags(scope, node, tags) };
    } else if (resourceType === "Association") {
      const association = await this.associations.association(scope, resourceId);
      if (association)
        return { tags: association.Tags, put: (tags) => this.associations.putTags(scope, association, tags) };
    } else if (resourceType === "Parameter") {
      const parameters = await this.parameters();
      const parameter = await parameters.forTagging(scope, resourceId);
      if (parameter) return { tags: parameter.Tags, put: (tags) => parameters.putTags(scope, parameter, tags) };
    } else {
      throw new InvalidResourceType(
        `The resource type ${resourceType} is not supported. Supported resource types: ${SUPPORTED_TYPES.join(", ")}.`,
      );
    }
    throw invalidResourceId(resourceId);
  }
}
