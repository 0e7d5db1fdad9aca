/** Documents and their sharing: parts of the runtime (runtime.ts). */
import { Documents } from "../domain/documents/documents.ts";
import { DocumentSharing } from "../domain/documents/sharing.ts";
import { DynamoDocumentShareStore } from "../store/document-share-store.ts";
import { DynamoDocumentStore } from "../store/document-store.ts";
import type { Runtime } from "./runtime.ts";

export const documentStore = (r: Runtime) => new DynamoDocumentStore(r.db, r.tableName);
export const documentShareStore = (r: Runtime) => new DynamoDocumentShareStore(r.db, r.tableName);

export const documents = (r: Runtime) => new Documents(r.get(documentStore), undefined, r.get(documentShareStore));
export const documentSharing = (r: Runtime) => new DocumentSharing(r.get(documentStore), r.get(documentShareStore));
