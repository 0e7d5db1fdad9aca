/**
 * The Documents API with the operations that parse content (create, update): a part of the
 * runtime (runtime.ts). The functions of the other document operations take
 * document-registry.ts's parts, which carry no YAML parser.
 */
import { Documents } from "../domain/documents/documents.ts";
import { documentShareStore, documentStore } from "./document-reader.ts";
import type { Runtime } from "./runtime.ts";

export const documents = (r: Runtime) => new Documents(r.get(documentStore), undefined, r.get(documentShareStore));
