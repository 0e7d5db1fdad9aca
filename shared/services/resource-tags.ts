/** Tags of any taggable resource (AddTagsToResource and its siblings): a part of the runtime (runtime.ts). */
import { ResourceTags } from "../domain/resource-tags.ts";
import { associations } from "./associations.ts";
import { documentReader } from "./document-reader.ts";
import { nodes } from "./nodes.ts";
import { parameters } from "./parameters.ts";
import type { Runtime } from "./runtime.ts";

export const resourceTags = (r: Runtime) =>
  new ResourceTags(r.get(documentReader), r.get(nodes), r.get(associations), () => r.get(parameters));
