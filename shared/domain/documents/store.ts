/**
 * The store the documents domain needs (implemented by shared/store/document-store.ts). Each
 * write holds its invariant itself and fails with the domain's error (./errors.ts).
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type { DocumentRecord, VersionRecord } from "./records.ts";

export interface DocumentStore {
  get(scope: Scope, name: string): Promise<DocumentRecord | undefined>;
  getVersion(scope: Scope, name: string, version: number): Promise<VersionRecord | undefined>;
  versionNumberOf(scope: Scope, name: string, versionName: string): Promise<number | undefined>;
  /** Unique name, unique content and version name, and the account's document limit. */
  create(scope: Scope, document: DocumentRecord, version: VersionRecord, documentLimit: number): Promise<void>;
  addVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void>;
  setDefaultVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void>;
  deleteVersion(scope: Scope, document: DocumentRecord, version: VersionRecord, newLatest: number): Promise<void>;
  /** Refused while any association holds a reference on the document. */
  delete(scope: Scope, name: string): Promise<void>;
  putTags(scope: Scope, document: DocumentRecord, tags: Tag[]): Promise<void>;
  list(scope: Scope, afterName: string | undefined, limit: number): Promise<Page<DocumentRecord>>;
  listVersions(
    scope: Scope,
    name: string,
    options: { after?: number; limit: number; newestFirst?: boolean },
  ): Promise<Page<VersionRecord>>;
}
