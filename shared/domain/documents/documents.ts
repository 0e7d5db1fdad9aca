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
import { awsOwnedDocuments } from "./aws-owned/index.ts";
import { convertContent, versionRecord } from "./content.ts";
import { awsOwnedIsReadOnly, documentNotFound } from "./errors.ts";
import { listDocuments } from "./listing.ts";
import { assertNameNotReserved } from "./names.ts";
import { awsOwnedVersion, DocumentReader, type Located, wantOf } from "./reader.ts";
import { type DocumentRecord, documentRecord, summaryOf, type VersionRecord, type VersionSummary } from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

export const DOCUMENT_LIMIT = 500;
export const VERSION_LIMIT = 1000;
const DEFAULT_PAGE_SIZE = 50;

/** Document types whose content is not a schema'd SSM document and may be TEXT. */
const TEXT_DOCUMENT_TYPES = new Set(["ApplicationConfiguration"]);

export type DocumentLimits = { documents: number; versions: number };

/** The Documents API: the reads other resources make (reader.ts), and the operations' own. */
export class Documents extends DocumentReader {
  constructor(
    store: DocumentStore,
    private readonly limits: DocumentLimits = { documents: DOCUMENT_LIMIT, versions: VERSION_LIMIT },
    /** Without it, no other account's document resolves. */
    shares?: DocumentShareStore,
  ) {
    super(store, shares);
  }

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
}

/** The owner's tags are the owner's: another account sees a shared document with none (list-documents example 2). */
function asSeenBy(located: Located): DocumentRecord {
  return located.share ? { ...located.document, Tags: [] } : located.document;
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
