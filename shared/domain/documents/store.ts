/**
 * The store the documents domain needs (implemented by shared/store/document-store.ts). Each
 * write holds its invariant itself and fails with the domain's error (./errors.ts).
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type { DocumentRecord, DocumentShareRecord, VersionRecord, VersionSummary } from "./records.ts";

/** What a whole-document delete knows of the document before it decides. */
export type DeletedDocument = Pick<DocumentRecord, "DocumentType">;

export interface DocumentStore {
  get(scope: Scope, name: string): Promise<DocumentRecord | undefined>;
  /** The head, read together with the request's other reads started in the same turn (one round trip). */
  head(scope: Scope, name: string): Promise<DocumentRecord | undefined>;
  /** The head and a version (a number, or the default) in one read. */
  read(
    scope: Scope,
    name: string,
    want: number | "default",
  ): Promise<{ document?: DocumentRecord; version?: VersionRecord }>;
  /**
   * As `read` for several documents at once (one batch, with whatever else is read in the same
   * turn), but only what a version's hash needs (the head's status and version numbers, the
   * version's number and hash): no content. In the order asked.
   */
  readHashes(
    scope: Scope,
    wanted: readonly { name: string; want: number | "default" }[],
  ): Promise<
    {
      document?: Pick<DocumentRecord, "Status" | "DefaultVersion" | "LatestVersion">;
      version?: Pick<VersionRecord, "DocumentVersion" | "Hash">;
    }[]
  >;
  getVersion(scope: Scope, name: string, version: number): Promise<VersionRecord | undefined>;
  versionNumberOf(scope: Scope, name: string, versionName: string): Promise<number | undefined>;
  /** Unique name, unique content and version name, and the account's document limit. */
  create(scope: Scope, document: DocumentRecord, version: VersionRecord, documentLimit: number): Promise<void>;
  addVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void>;
  setDefaultVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void>;
  /** `newLatest`: the version that becomes the latest when the latest is deleted. */
  deleteVersion(
    scope: Scope,
    document: DocumentRecord,
    version: VersionRecord,
    newLatest: VersionSummary | undefined,
  ): Promise<void>;
  /**
   * A whole document, crash-safe (either nothing changed, or the document reads as gone, holds no
   * slot, and the next delete or create of the name finishes it). Refused while any association
   * holds a reference on the document or it is shared; `check` may refuse it from its head.
   */
  delete(scope: Scope, name: string, check?: (document: DeletedDocument) => void): Promise<void>;
  putTags(scope: Scope, document: DocumentRecord, tags: Tag[]): Promise<void>;
  list(scope: Scope, afterName: string | undefined, limit: number): Promise<Page<DocumentRecord>>;
  listVersions(
    scope: Scope,
    name: string,
    options: { after?: number; limit: number; newestFirst?: boolean },
  ): Promise<Page<VersionRecord>>;
}

/** What one ModifyDocumentPermission writes. */
export type ShareChange = {
  /** Shares written (new ones, and existing ones with their SharedDocumentVersion). */
  put: DocumentShareRecord[];
  /** Existing shares removed, by account id (or "all"). */
  remove: string[];
  /** The document's account count after the change. */
  shareCount: number;
  /** A public share taken or given back: one of the account's public-share slots. */
  public?: "share" | "unshare";
  publicLimit: number;
};

/** `defaultVersion`: the document's default version, when the read asked for it. */
export type SharedDocument = { document: DocumentRecord; share: DocumentShareRecord; defaultVersion?: VersionRecord };

/** Document shares (implemented by shared/store/document-share-store.ts). */
export interface DocumentShareStore {
  /** Which of these accounts (or "all") the document is shared with. */
  existing(owner: Scope, name: string, accountIds: string[]): Promise<Set<string>>;
  /** The document's shares in account order (digits, then "all"). */
  list(owner: Scope, name: string, after: string | undefined, limit: number): Promise<Page<DocumentShareRecord>>;
  /**
   * One transaction under the document's revision (TooManyUpdates when it moved, InvalidDocument
   * when it is gone); DocumentPermissionLimit when the account has no public-share slot left.
   */
  modify(owner: Scope, document: DocumentRecord, change: ShareChange): Promise<void>;
  /**
   * Another account's Active document with the share that lets `grantee` use it (one read), and
   * with `withDefault` its default version in the same read.
   */
  sharedDocument(
    owner: Scope,
    name: string,
    grantee: string,
    withDefault?: boolean,
  ): Promise<SharedDocument | undefined>;
  /**
   * Active documents shared with `grantee` (an account id or "all") in this Region, by listing
   * key; `last` is the last key the page read (a deleted document's share is read, not listed).
   */
  sharedWith(
    scope: Scope,
    grantee: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<SharedDocument & { listingKey: string }> & { last?: string }>;
}
