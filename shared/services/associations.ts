/** State Manager associations: a part of the runtime (runtime.ts). */
import { Associations } from "../domain/associations/associations.ts";
import { associationStore } from "./association-stores.ts";
import { documentReader } from "./document-reader.ts";
import { executions } from "./executions.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const associations = (r: Runtime) =>
  new Associations(
    r.get(associationStore),
    r.get(documentReader),
    r.get(nodes),
    r.get(executions),
    r.options.associationLimit,
    undefined,
    r.options.runDeferred,
  );
