/**
 * GetDocument's part of the runtime (runtime.ts): a module of its own, because its service loads
 * the content parser with a dynamic `import()` (domain/documents/retrieval.ts), and the build
 * writes a file for every dynamic import a function's modules hold, used or not.
 */
import { DocumentRetrieval } from "../domain/documents/retrieval.ts";
import { documentShareStore, documentStore } from "./document-reader.ts";
import type { Runtime } from "./runtime.ts";

export const documentRetrieval = (r: Runtime) => new DocumentRetrieval(r.get(documentStore), r.get(documentShareStore));
