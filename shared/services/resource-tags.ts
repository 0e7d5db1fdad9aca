/**
 * Tags of any taggable resource (AddTagsToResource and its siblings): a part of the runtime
 * (runtime.ts), built from each resource type's store (its tagging port), not its service.
 */
import { associationTags, documentTags, nodeTags, parameterTags, ResourceTags } from "../domain/resource-tags.ts";
import { associationStore } from "./association-stores.ts";
import { documentStore } from "./document-reader.ts";
import { nodeStore } from "./node-store.ts";
import { parameterStore } from "./parameters.ts";
import type { Runtime } from "./runtime.ts";

export const resourceTags = (r: Runtime) =>
  new ResourceTags({
    Document: documentTags(r.get(documentStore)),
    ManagedInstance: nodeTags(r.get(nodeStore)),
    Association: associationTags(r.get(associationStore)),
    Parameter: parameterTags(r.get(parameterStore)),
  });
