/** Documents and their sharing: parts of the runtime (runtime.ts). */
import { Documents } from "../domain/documents/documents.ts";
import { DocumentSharing } from "../domain/documents/sharing.ts";
import { documentShareStore, documentStore } from "./document-reader.ts";
import type { Runtime } from "./runtime.ts";

export { documentShareStore, documentStore };

export const documents = (r: Runtime) => new Documents(r.get(documentStore), undefined, r.get(documentShareStore));
export const documentSharing = (r: Runtime) => new DocumentSharing(r.get(documentStore), r.get(documentShareStore));
