/**
 * What other areas read of documents (associations, runs, a node's view): a part of the runtime
 * (runtime.ts) apart from the Documents API's (documents.ts), so that their functions carry no
 * content parsing or conversion (domain/documents/reader.ts).
 */
import { DocumentReader } from "../domain/documents/reader.ts";
import { DynamoDocumentShareStore } from "../store/document-share-store.ts";
import { DynamoDocumentStore } from "../store/document-store.ts";
import type { Runtime } from "./runtime.ts";

export const documentStore = (r: Runtime) => new DynamoDocumentStore(r.db, r.tableName);
export const documentShareStore = (r: Runtime) => new DynamoDocumentShareStore(r.db, r.tableName);

export const documentReader = (r: Runtime) => new DocumentReader(r.get(documentStore), r.get(documentShareStore));
