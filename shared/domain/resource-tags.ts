/**
 * AddTagsToResource, ListTagsForResource and RemoveTagsFromResource, for every resource type
 * this service holds. Each resource type keeps its tags on its own head item; this module only
 * finds the resource and does the tag arithmetic. What it needs of a resource type is a tagging
 * port (`TagPort`: read the head, write its tags guarded by the revision read), built from that
 * type's store alone, not its service: a tag function carries no document parsing, association
 * runs or parameter values.
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
import type { AssociationRecord } from "./associations/records.ts";
import type { AssociationStore } from "./associations/store.ts";
import type { DocumentRecord } from "./documents/records.ts";
import type { DocumentStore } from "./documents/store.ts";
import { invalidResourceId } from "./errors.ts";
import type { NodeRecord } from "./nodes/records.ts";
import type { NodeStore } from "./nodes/store.ts";
import type { ParameterRecord } from "./parameters/records.ts";
import type { ParameterStore } from "./parameters/store.ts";
import { assertTagsWithinLimit, mergeTags, removeTags } from "./tags.ts";

/** Resource types that can be tagged here; the others of the API are not held by this service. */
const SUPPORTED_TYPES = ["Document", "ManagedInstance", "Association", "Parameter"] as const;

/** One taggable resource: its tags, and how to replace them (conditionally on what was read). */
type Taggable = { tags: Tag[]; put: (tags: Tag[]) => Promise<void> };

/** A resource type's tags: the resource an id names (undefined: none), found by one read. */
export type TagPort = { find(scope: Scope, resourceId: string): Promise<Taggable | undefined> };

/** The tagging port of each supported type. */
export type TagPorts = Record<(typeof SUPPORTED_TYPES)[number], TagPort>;

/** The account's own documents, Active ones only: AWS-owned and shared documents can't be tagged. */
export const documentTags = (store: Pick<DocumentStore, "get" | "putTags">): TagPort => ({
  async find(scope, name) {
    const document: DocumentRecord | undefined = await store.get(scope, name);
    if (document?.Status !== "Active") return undefined;
    return { tags: document.Tags, put: (tags) => store.putTags(scope, document, tags) };
  },
});

export const nodeTags = (store: Pick<NodeStore, "getNode" | "putTags">): TagPort => ({
  async find(scope, instanceId) {
    const node: NodeRecord | undefined = await store.getNode(scope, instanceId);
    return node && { tags: node.Tags, put: (tags) => store.putTags(scope, node, tags) };
  },
});

export const associationTags = (store: Pick<AssociationStore, "get" | "putTags">): TagPort => ({
  async find(scope, associationId) {
    const association: AssociationRecord | undefined = await store.get(scope, associationId);
    return association && { tags: association.Tags, put: (tags) => store.putTags(scope, association, tags) };
  },
});

/** A parameter by its plain name: an ARN names no parameter to tag. */
export const parameterTags = (store: Pick<ParameterStore, "get" | "putTags">): TagPort => ({
  async find(scope, name) {
    if (name.startsWith("arn:")) return undefined;
    const parameter: ParameterRecord | undefined = await store.get(scope, name);
    return parameter && { tags: parameter.Tags, put: (tags) => store.putTags(scope, parameter, tags) };
  },
});

export class ResourceTags {
  constructor(private readonly ports: TagPorts) {}

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
    const resource = await this.port(resourceType).find(scope, resourceId);
    if (!resource) throw invalidResourceId(resourceId);
    return resource;
  }

  private port(resourceType: string): TagPort {
    const supported = SUPPORTED_TYPES as readonly string[];
    if (supported.includes(resourceType)) return this.ports[resourceType as (typeof SUPPORTED_TYPES)[number]];
    throw new InvalidResourceType(
      `The resource type ${resourceType} is not supported. Supported resource types: ${SUPPORTED_TYPES.join(", ")}.`,
    );
  }
}
