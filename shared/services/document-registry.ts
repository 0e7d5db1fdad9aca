/**
 * The Documents API's parts that parse no content: the registry (describe, list, versions, the
 * default version, metadata, delete) and sharing. Apart from documents.ts so that their functions
 * carry no YAML parser: importing documents.ts would bring content.ts's, and `yaml` keeps about
 * 33 KB in a bundle even when nothing of it is called. (GetDocument's part is
 * document-retrieval.ts.)
 */
import { DocumentRegistry } from "../domain/documents/registry.ts";
import { DocumentSharing } from "../domain/documents/sharing.ts";
import { documentShareStore, documentStore } from "./document-reader.ts";
import type { Runtime } from "./runtime.ts";

export const documentRegistry = (r: Runtime) => new DocumentRegistry(r.get(documentStore), r.get(documentShareStore));
export const documentSharing = (r: Runtime) => new DocumentSharing(r.get(documentStore), r.get(documentShareStore));
