/**
 * The Documents API's behaviour, independent of the wire and of DynamoDB: which version a
 * request means, what may change, and what each answer contains. AWS-owned documents are read
 * from the built-in catalog; the account's own from the store.
 */
import type {
  CreateDocumentRequest,
  DeleteDocumentRequest,
  DescribeDocumentRequest,
  DocumentDescription,
  DocumentVersionInfo,
  GetDocumentRequest,
  GetDocumentResult,
  ListDocumentsRequest,
  ListDocumentVersionsRequest,
  Tag,
  UpdateDocumentDefaultVersionRequest,
  UpdateDocumentMetadataRequest,
  UpdateDocumentRequest,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import {
  DocumentVersionLimitExceeded,
  InvalidDocument,
  InvalidDocumentContent,
  InvalidDocumentOperation,
  InvalidDocumentSchemaVersion,
  InvalidDocumentVersion,
  ValidationException,
} from "../../errors.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { initialTags } from "../tags.ts";
import { AMAZON_OWNER, awsOwnedDocuments } from "./aws-owned/index.ts";
import { convertContent, parseContent } from "./content.ts";
import { awsOwnedIsReadOnly, documentNotFound, invalidDocumentVersion } from "./errors.ts";
import { listDocuments } from "./listing.ts";
import { assertNameNotReserved, documentReference } from "./names.ts";
import {
  type DocumentRecord,
  type DocumentShareRecord,
  documentRecord,
  summaryOf,
  type VersionRecord,
  type VersionSummary,
  versionRecord,
} from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

export const DOCUMENT_LIMIT = 500;
export const VERSION_LIMIT = 1000;
const DEFAULT_PAGE_SIZE = 50;

/** Document types whose content is not a schema'd SSM document and may be TEXT. */
const TEXT_DOCUMENT_TYPES = new Set(["ApplicationConfiguration"]);

/**
 * A document a request names, with the scope that owns it (the caller's, or another account's
 * for a document shared with the caller, with the share that lets it).
 */
type Located = {
  document: DocumentRecord;
  awsOwned: boolean;
  owner: Scope;
  share?: DocumentShareRecord;
  /** A version read with the head (see locate's `want`), so version() needs no second read. */
  prefetched?: VersionRecord;
};

/**
 * Which version a request will want, known before the head is read: a number, or the default.
 * `$LATEST` reads the default too: it is the latest unless an update left the default behind,
 * and then the latest costs one more read.
 */
function wantOf(documentVersion: string | undefined, versionName?: string): number | "default" | undefined {
  if (versionName !== undefined) return undefined;
  if (documentVersion === undefined || documentVersion === "$DEFAULT" || documentVersion === "$LATEST") {
    return "default";
  }
  return /^\d+$/.test(documentVersion) ? Number(documentVersion) : undefined;
}

export type DocumentLimits = { documents: number; versions: number };

export class Documents {
  constructor(
    private readonly store: DocumentStore,
    private readonly limits: DocumentLimits = { documents: DOCUMENT_LIMIT, versions: VERSION_LIMIT },
    /** Without it, no other account's document resolves. */
    private readonly shares?: DocumentShareStore,
  ) {}

  async create(scope: Scope, request: CreateDocumentRequest): Promise<DocumentDescription> {
    const name = request.Name as string;
    assertNameNotReserved(name);
    assertNoAttachments(request.Attachments);
    const documentType = request.DocumentType ?? "Command";
    const format = request.DocumentFormat ?? "JSON";
    assertFormatFits(format, documentType);
    const tags = initialTags(request.Tags);
    const version = versionRecord(
      {
        Name: name,
        DocumentVersion: 1,
        VersionName: request.VersionName,
        DisplayName: request.DisplayName,
        TargetType: request.TargetType,
        Content: request.Content as string,
        DocumentFormat: format,
        Requires: request.Requires,
        CreatedDate: new Date().toISOString(),
      },
      documentType,
    );
    const document = documentRecord(version, documentType, scope.accountId, tags);
    await this.store.create(scope, document, version, this.limits.documents);
    // AWS creates asynchronously and answers "Creating"; ours is usable at once.
    return { ...describe(document, version), Status: "Creating" };
  }

  async describe(scope: Scope, request: DescribeDocumentRequest): Promise<DocumentDescription> {
    const located = await this.locate(
      scope,
      request.Name as string,
      wantOf(request.DocumentVersion, request.VersionName),
    );
    const version = await this.version(located, request.DocumentVersion, request.VersionName);
    return describe(asSeenBy(located), version);
  }

  async get(scope: Scope, request: GetDocumentRequest): Promise<GetDocumentResult> {
    const located = await this.locate(
      scope,
      request.Name as string,
      wantOf(request.DocumentVersion, request.VersionName),
    );
    const { document } = located;
    const version = await this.version(located, request.DocumentVersion, request.VersionName);
    const format = request.DocumentFormat ?? version.DocumentFormat;
    return {
      Name: document.Name,
      CreatedDate: new Date(version.CreatedDate),
      DisplayName: version.DisplayName,
      VersionName: version.VersionName,
      DocumentVersion: String(version.DocumentVersion),
      Status: "Active",
      Content: convertContent(version.Content, version.DocumentFormat, format),
      DocumentType: document.DocumentType,
      DocumentFormat: format,
      Requires: version.Requires,
    };
  }

  async update(scope: Scope, request: UpdateDocumentRequest): Promise<DocumentDescription> {
    const located = await this.ownLocated(scope, request.Name as string);
    const { document, awsOwned } = located;
    if (awsOwned) throw awsOwnedIsReadOnly(document.Name);
    assertNoAttachments(request.Attachments);
    const requested = request.DocumentVersion;
    if (requested !== undefined && requested !== "$LATEST" && requested !== String(document.LatestVersion)) {
      throw new InvalidDocumentVersion(
        `Document version ${requested} is not the latest version. You can only update the latest version of a document.`,
      );
    }
    // The head carries the latest version's summary (store keys.ts): no second read.
    const latest = document.Latest ?? (await this.version(located, String(document.LatestVersion)));
    if (latest.SchemaVersion?.startsWith("1.")) {
      throw new InvalidDocumentSchemaVersion(
        `Documents with schema version ${latest.SchemaVersion} can't be updated. Create a new document with a newer schema version.`,
      );
    }
    if (document.VersionCount >= this.limits.versions) {
      throw new DocumentVersionLimitExceeded(
        "The document has too many versions. Delete one or more document versions and try again.",
      );
    }
    const format = request.DocumentFormat ?? "JSON";
    assertFormatFits(format, document.DocumentType);
    const version = versionRecord(
      {
        Name: document.Name,
        DocumentVersion: document.VersionSeq + 1,
        VersionName: request.VersionName,
        // Display name, target type and requirements carry over unless the update sets them.
        DisplayName: request.DisplayName ?? latest.DisplayName,
        TargetType: request.TargetType ?? latest.TargetType,
        Content: request.Content as string,
        DocumentFormat: format,
        Requires: latest.Requires,
        CreatedDate: new Date().toISOString(),
      },
      document.DocumentType,
    );
    await this.store.addVersion(scope, document, version);
    const updated = { ...document, LatestVersion: version.DocumentVersion, VersionSeq: version.DocumentVersion };
    return { ...describe(updated, version), Status: "Updating" };
  }

  /**
   * UpdateDocumentMetadata: approval reviews of a change template in Change Manager (the API
   * reference describes nothing else). This service has no Change Manager, no reviewers and no
   * document types it reviews, so after the checks every operation has (the document, its
   * version) it refuses, saying why (README, "Not supported").
   */
  async updateMetadata(scope: Scope, request: UpdateDocumentMetadataRequest): Promise<void> {
    const located = await this.ownLocated(scope, request.Name as string, wantOf(request.DocumentVersion));
    await this.version(located, request.DocumentVersion);
    const { document } = located;
    if (document.DocumentType !== "Automation.ChangeTemplate") {
      throw new InvalidDocumentOperation(
        `Document reviews apply only to Change Manager change templates (document type Automation.ChangeTemplate); ${document.Name} is a ${document.DocumentType} document.`,
      );
    }
    throw new InvalidDocumentOperation(
      "Document reviews need Change Manager, which this service does not provide (AWS no longer opens it to new customers).",
    );
  }

  async setDefaultVersion(scope: Scope, request: UpdateDocumentDefaultVersionRequest) {
    const located = await this.ownLocated(scope, request.Name as string, wantOf(request.DocumentVersion));
    const { document, awsOwned } = located;
    if (awsOwned) throw new InvalidDocument(`Document ${document.Name} is owned by Amazon and can't be modified.`);
    const version = await this.version(located, request.DocumentVersion);
    if (version.DocumentVersion !== document.DefaultVersion) {
      await this.store.setDefaultVersion(scope, document, version);
    }
    return {
      Description: {
        Name: document.Name,
        DefaultVersion: String(version.DocumentVersion),
        DefaultVersionName: version.VersionName,
      },
    };
  }

  async delete(scope: Scope, request: DeleteDocumentRequest): Promise<void> {
    const name = request.Name as string;
    if (awsOwnedDocuments.has(name)) throw awsOwnedIsReadOnly(name);
    if (request.DocumentVersion === undefined && request.VersionName === undefined) {
      // A document left half-deleted by an interrupted delete is finished off here.
      await this.store.delete(scope, name, (document) => {
        if (document.DocumentType === "ApplicationConfigurationSchema" && !request.Force) {
          throw new InvalidDocumentOperation("You must specify the Force flag to delete a document of this type.");
        }
      });
      return;
    }
    const want = wantOf(request.DocumentVersion, request.VersionName);
    const read = typeof want === "number" ? await this.store.read(scope, name, want) : undefined;
    const document = read ? read.document : await this.store.get(scope, name);
    if (document?.Status !== "Active") throw documentNotFound(name);
    // DeleteDocument's model lists InvalidDocument, not InvalidDocumentVersion, for a version
    // that does not exist: SDKs only know the listed errors (issue 15, item 5).
    const version = await this.version(
      { document, awsOwned: false, owner: scope, prefetched: read?.version },
      request.DocumentVersion,
      request.VersionName,
    ).catch((error: unknown) => {
      if (error instanceof InvalidDocumentVersion) throw new InvalidDocument(error.message);
      throw error;
    });
    if (version.DocumentVersion === document.DefaultVersion) {
      throw new InvalidDocumentOperation(
        "Default version of the document can't be deleted. Delete the document, or change its default version first.",
      );
    }
    let newLatest: VersionSummary | undefined;
    if (version.DocumentVersion === document.LatestVersion) {
      const below = await this.store.listVersions(scope, name, {
        after: version.DocumentVersion,
        limit: 1,
        newestFirst: true,
      });
      newLatest = below.items[0] ? summaryOf(below.items[0]) : document.Default;
    }
    await this.store.deleteVersion(scope, document, version, newLatest);
  }

  async list(scope: Scope, request: ListDocumentsRequest) {
    return listDocuments(this.store, this.shares, scope, request);
  }

  async listVersions(scope: Scope, request: ListDocumentVersionsRequest) {
    const located = await this.locate(scope, request.Name as string);
    const { document, awsOwned, share } = located;
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: number } => typeof value.after === "number",
    );
    const limit = request.MaxResults ?? DEFAULT_PAGE_SIZE;
    // A document shared with one version ($DEFAULT or $LATEST) shows only that version.
    const page = awsOwned
      ? { items: [awsOwnedVersion(document.Name, document.DefaultVersion) as VersionRecord], more: false }
      : share && share.SharedDocumentVersion !== "$ALL"
        ? { items: [await this.version(located, undefined)], more: false }
        : await this.store.listVersions(located.owner, document.Name, { after: cursor?.after, limit });
    const last = page.items.at(-1);
    return {
      DocumentVersions: page.items.map(
        (version): DocumentVersionInfo => ({
          Name: document.Name,
          DisplayName: version.DisplayName,
          DocumentVersion: String(version.DocumentVersion),
          VersionName: version.VersionName,
          CreatedDate: new Date(version.CreatedDate),
          IsDefaultVersion: version.DocumentVersion === document.DefaultVersion,
          DocumentFormat: version.DocumentFormat,
          Status: "Active",
        }),
      ),
      NextToken: page.more && last ? encodeToken({ after: last.DocumentVersion }) : undefined,
    };
  }

  /**
   * The document (and version) an association names, with the parameter definitions of that
   * version's content, which the association's parameters must fit.
   */
  async forAssociation(scope: Scope, nameOrArn: string, documentVersion: string | undefined) {
    const located = await this.locate(scope, nameOrArn, wantOf(documentVersion));
    const { document, awsOwned, share } = located;
    const version = await this.version(located, documentVersion);
    const body = parseContent(version.Content, version.DocumentFormat);
    return {
      document,
      version,
      owner: awsOwned ? ("Amazon" as const) : share ? ("Shared" as const) : ("Self" as const),
      /** For a shared document: whose it is, and which share (the caller's id or "all") lets the caller use it. */
      shared: share ? { ownerAccountId: share.OwnerAccountId, grantee: share.AccountId } : undefined,
      parameterDefinitions: body?.parameters as Record<string, unknown> | undefined,
    };
  }

  /**
   * The version an association runs ($DEFAULT or nothing, $LATEST, or a number), as
   * `forAssociation` finds it but without parsing its content: for a node's view, which needs
   * only its hash or content. Reads of several documents started together (Promise.all) go to
   * DynamoDB as one batch (the head and the version of each, store `read`).
   */
  async runnableVersion(scope: Scope, nameOrArn: string, documentVersion: string | undefined): Promise<VersionRecord> {
    return this.version(await this.locate(scope, nameOrArn, wantOf(documentVersion)), documentVersion);
  }

  /**
   * The content hash of the version an association runs, as `runnableVersion` finds it, reading
   * no content: for an own document by name, its head and version with only their numbers and
   * hash (one batch with the other documents read at the same time). Anything else (AWS-owned,
   * shared, $LATEST ahead of the default, a version gone) goes the way `runnableVersion` goes.
   */
  async versionHash(scope: Scope, nameOrArn: string, documentVersion: string | undefined): Promise<string> {
    const reference = documentReference(nameOrArn, scope);
    const want = wantOf(documentVersion);
    if (reference.ownerAccountId === scope.accountId && want !== undefined && !awsOwnedDocuments.has(reference.name)) {
      const { document, version } = await this.store.readHash(scope, reference.name, want);
      if (document?.Status !== "Active") throw documentNotFound(nameOrArn);
      const number =
        documentVersion === "$LATEST" ? document.LatestVersion : want === "default" ? document.DefaultVersion : want;
      if (version?.DocumentVersion === number) return version.Hash;
    }
    return (await this.runnableVersion(scope, nameOrArn, documentVersion)).Hash;
  }

  /**
   * The version number an association's DocumentVersion ($DEFAULT, $LATEST or a number) means
   * now, as AWS reports the version that ran: no read for a number or an AWS-owned document, one
   * read (the head) otherwise.
   */
  async versionNumber(scope: Scope, nameOrArn: string, documentVersion: string | undefined): Promise<number> {
    if (documentVersion !== undefined && /^\d+$/.test(documentVersion)) return Number(documentVersion);
    const { document, share } = await this.locate(scope, nameOrArn);
    const latest =
      documentVersion === "$LATEST" || (documentVersion === undefined && share?.SharedDocumentVersion === "$LATEST");
    return latest ? document.LatestVersion : document.DefaultVersion;
  }

  /** Fails with InvalidDocument unless the document exists (one read at most). */
  /** Read with the request's other reads started in the same turn (one round trip: store.ts `head`). */
  async assertExists(scope: Scope, nameOrArn: string): Promise<void> {
    await this.locate(scope, nameOrArn, undefined, true);
  }

  /** The account's own document by name, for tagging: AWS-owned documents can't be tagged. */
  async ownDocument(scope: Scope, name: string): Promise<DocumentRecord | undefined> {
    const document = await this.store.get(scope, name);
    return document?.Status === "Active" ? document : undefined;
  }

  async putTags(scope: Scope, document: DocumentRecord, tags: Tag[]): Promise<void> {
    await this.store.putTags(scope, document, tags);
  }

  /**
   * Finds a document by name or ARN: AWS-owned first, then the account's own; an ARN of another
   * account finds that account's document only while it is shared with the caller (or with
   * all), in one read. Unshared or deleted, it is InvalidDocument, as for a missing document.
   */
  private async locate(scope: Scope, nameOrArn: string, want?: number | "default", joined = false): Promise<Located> {
    const reference = documentReference(nameOrArn, scope);
    if (reference.ownerAccountId !== scope.accountId) {
      const owner: Scope = { accountId: reference.ownerAccountId, region: scope.region };
      const shared = await this.shares?.sharedDocument(owner, reference.name, scope.accountId, want === "default");
      if (!shared) throw documentNotFound(nameOrArn);
      const { document, share, defaultVersion } = shared;
      return { document, share, awsOwned: false, owner, prefetched: defaultVersion };
    }
    const owned = awsOwnedDocuments.get(reference.name);
    if (owned) return { document: owned.document, awsOwned: true, owner: scope };
    // With the version known up front, the head and that version are one read (store keys.ts).
    const { document, version } =
      want === undefined
        ? {
            document: await (joined ? this.store.head(scope, reference.name) : this.store.get(scope, reference.name)),
            version: undefined,
          }
        : await this.store.read(scope, reference.name, want);
    if (document?.Status !== "Active") throw documentNotFound(nameOrArn);
    return { document, awsOwned: false, owner: scope, prefetched: version };
  }

  /** A document only its owner may change: another account's ARN names nothing here. */
  private async ownLocated(scope: Scope, nameOrArn: string, want?: number | "default"): Promise<Located> {
    const located = await this.locate(scope, nameOrArn, want);
    if (located.share) throw documentNotFound(nameOrArn);
    return located;
  }

  /**
   * The version a request means: `$DEFAULT` (or nothing), `$LATEST`, a number, or a version
   * name; when both a number and a name are given they must name the same version.
   */
  private async version(
    located: Located,
    documentVersion: string | undefined,
    versionName?: string,
  ): Promise<VersionRecord> {
    const { document, owner: scope, share } = located;
    let number: number | undefined;
    if (versionName !== undefined) {
      number = await this.versionNumberOfName(scope, document, versionName);
      if (number === undefined) throw invalidDocumentVersion();
    }
    if (documentVersion !== undefined && documentVersion !== "$DEFAULT") {
      const wanted = documentVersion === "$LATEST" ? document.LatestVersion : Number(documentVersion);
      if (number !== undefined && number !== wanted) throw invalidDocumentVersion();
      number = wanted;
    }
    // A version shared as $LATEST is what "no version" means to the accounts it is shared with.
    number ??= share?.SharedDocumentVersion === "$LATEST" ? document.LatestVersion : document.DefaultVersion;
    if (share && !sharedVersionAllows(share, document, number)) throw invalidDocumentVersion();
    const version =
      document.Owner === AMAZON_OWNER
        ? awsOwnedVersion(document.Name, number)
        : located.prefetched?.DocumentVersion === number
          ? located.prefetched
          : await this.store.getVersion(scope, document.Name, number);
    if (!version) throw invalidDocumentVersion();
    return version;
  }

  private async versionNumberOfName(scope: Scope, document: DocumentRecord, versionName: string) {
    if (document.Owner === AMAZON_OWNER) {
      const owned = awsOwnedDocuments.get(document.Name);
      return owned?.version.VersionName === versionName ? owned.version.DocumentVersion : undefined;
    }
    return this.store.versionNumberOf(scope, document.Name, versionName);
  }
}

/**
 * The versions a share lets another account use: the default one ($DEFAULT), the latest one
 * ($LATEST), or every one ($ALL) (ModifyDocumentPermission.SharedDocumentVersion).
 */
function sharedVersionAllows(share: DocumentShareRecord, document: DocumentRecord, number: number): boolean {
  if (share.SharedDocumentVersion === "$ALL") return true;
  return number === (share.SharedDocumentVersion === "$LATEST" ? document.LatestVersion : document.DefaultVersion);
}

/** The owner's tags are the owner's: another account sees a shared document with none (list-documents example 2). */
function asSeenBy(located: Located): DocumentRecord {
  return located.share ? { ...located.document, Tags: [] } : located.document;
}

function awsOwnedVersion(name: string, number: number): VersionRecord | undefined {
  const version = awsOwnedDocuments.get(name)?.version;
  return version?.DocumentVersion === number ? version : undefined;
}

function assertNoAttachments(attachments: unknown[] | undefined): void {
  if (attachments && attachments.length > 0) {
    throw new ValidationException("Attachments are not supported by this service. Remove Attachments and try again.");
  }
}

function assertFormatFits(format: string, documentType: string): void {
  if (format === "TEXT" && !TEXT_DOCUMENT_TYPES.has(documentType)) {
    throw new InvalidDocumentContent(`DocumentFormat TEXT is not supported for document type ${documentType}.`);
  }
}

/** The full DocumentDescription of one version of a document. */
function describe(document: DocumentRecord, version: VersionRecord): DocumentDescription {
  return {
    Hash: version.Hash,
    HashType: "Sha256",
    Name: document.Name,
    DisplayName: version.DisplayName,
    VersionName: version.VersionName,
    Owner: document.Owner,
    CreatedDate: new Date(version.CreatedDate),
    Status: "Active",
    DocumentVersion: String(version.DocumentVersion),
    Description: version.Description,
    Parameters: version.Parameters.length > 0 ? version.Parameters : undefined,
    PlatformTypes: version.PlatformTypes,
    DocumentType: document.DocumentType,
    SchemaVersion: version.SchemaVersion,
    LatestVersion: String(document.LatestVersion),
    DefaultVersion: String(document.DefaultVersion),
    DocumentFormat: version.DocumentFormat,
    TargetType: version.TargetType,
    Tags: document.Tags,
    Requires: version.Requires,
    Category: [],
    CategoryEnum: [],
  };
}
