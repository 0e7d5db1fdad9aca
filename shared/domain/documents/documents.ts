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
  DocumentIdentifier,
  DocumentVersionInfo,
  GetDocumentRequest,
  GetDocumentResult,
  ListDocumentsRequest,
  ListDocumentVersionsRequest,
  Tag,
  UpdateDocumentDefaultVersionRequest,
  UpdateDocumentRequest,
} from "@aws-sdk/client-ssm";
import {
  DocumentVersionLimitExceeded,
  InvalidDocument,
  InvalidDocumentContent,
  InvalidDocumentOperation,
  InvalidDocumentSchemaVersion,
  InvalidDocumentVersion,
  ValidationException,
} from "../../errors.ts";
import type { Scope } from "../../protocol/request-context.ts";
import { type DocumentStore, documentNotFound } from "../../store/document-store.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { initialTags } from "../tags.ts";
import { AMAZON_OWNER, awsOwnedDocuments } from "./aws-owned/index.ts";
import { convertContent, parseContent } from "./content.ts";
import { documentFilter } from "./list-filters.ts";
import { assertNameNotReserved, resolveDocumentName } from "./names.ts";
import { type DocumentRecord, documentRecord, type VersionRecord, versionRecord } from "./records.ts";

export const DOCUMENT_LIMIT = 500;
export const VERSION_LIMIT = 1000;
const DEFAULT_PAGE_SIZE = 50;

/** Document types whose content is not a schema'd SSM document and may be TEXT. */
const TEXT_DOCUMENT_TYPES = new Set(["ApplicationConfiguration"]);

const invalidVersion = () => new InvalidDocumentVersion("The document version is not valid or does not exist.");
const awsOwnedIsReadOnly = (name: string) =>
  new InvalidDocumentOperation(`Document ${name} is owned by Amazon and can't be modified or deleted.`);

type Located = { document: DocumentRecord; awsOwned: boolean };

export type DocumentLimits = { documents: number; versions: number };

export class Documents {
  constructor(
    private readonly store: DocumentStore,
    private readonly limits: DocumentLimits = { documents: DOCUMENT_LIMIT, versions: VERSION_LIMIT },
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
    const { document } = await this.locate(scope, request.Name as string);
    const version = await this.version(scope, document, request.DocumentVersion, request.VersionName);
    return describe(document, version);
  }

  async get(scope: Scope, request: GetDocumentRequest): Promise<GetDocumentResult> {
    const { document } = await this.locate(scope, request.Name as string);
    const version = await this.version(scope, document, request.DocumentVersion, request.VersionName);
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
    const { document, awsOwned } = await this.locate(scope, request.Name as string);
    if (awsOwned) throw awsOwnedIsReadOnly(document.Name);
    assertNoAttachments(request.Attachments);
    const requested = request.DocumentVersion;
    if (requested !== undefined && requested !== "$LATEST" && requested !== String(document.LatestVersion)) {
      throw new InvalidDocumentVersion(
        `Document version ${requested} is not the latest version. You can only update the latest version of a document.`,
      );
    }
    const latest = await this.version(scope, document, String(document.LatestVersion));
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

  async setDefaultVersion(scope: Scope, request: UpdateDocumentDefaultVersionRequest) {
    const { document, awsOwned } = await this.locate(scope, request.Name as string);
    if (awsOwned) throw new InvalidDocument(`Document ${document.Name} is owned by Amazon and can't be modified.`);
    const version = await this.version(scope, document, request.DocumentVersion);
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
    const document = await this.store.get(scope, name);
    if (request.DocumentVersion === undefined && request.VersionName === undefined) {
      if (document?.DocumentType === "ApplicationConfigurationSchema" && !request.Force) {
        throw new InvalidDocumentOperation("You must specify the Force flag to delete a document of this type.");
      }
      // A document left half-deleted by an interrupted delete is finished off here.
      await this.store.delete(scope, name);
      return;
    }
    if (document?.Status !== "Active") throw new InvalidDocument(documentNotFound(name));
    // DeleteDocument's model lists InvalidDocument, not InvalidDocumentVersion, for a version
    // that does not exist: SDKs only know the listed errors (issue 15, item 5).
    const version = await this.version(scope, document, request.DocumentVersion, request.VersionName).catch(
      (error: unknown) => {
        if (error instanceof InvalidDocumentVersion) throw new InvalidDocument(error.message);
        throw error;
      },
    );
    if (version.DocumentVersion === document.DefaultVersion) {
      throw new InvalidDocumentOperation(
        "Default version of the document can't be deleted. Delete the document, or change its default version first.",
      );
    }
    let newLatest = document.LatestVersion;
    if (version.DocumentVersion === document.LatestVersion) {
      const below = await this.store.listVersions(scope, name, {
        after: version.DocumentVersion,
        limit: 1,
        newestFirst: true,
      });
      newLatest = below.items[0]?.DocumentVersion ?? document.DefaultVersion;
    }
    await this.store.deleteVersion(scope, document, version, newLatest);
  }

  async list(scope: Scope, request: ListDocumentsRequest) {
    const filter = documentFilter(request, scope.accountId);
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: string } => typeof value.after === "string",
    );
    const pageSize = request.MaxResults ?? DEFAULT_PAGE_SIZE;
    const after = cursor?.after;

    // Both sources are in name order; merge them, keeping the first `pageSize` that match.
    const amazon = filter.includesAmazon
      ? [...awsOwnedDocuments.values()]
          .map((owned) => owned.document)
          .filter((document) => (after === undefined || document.Name > after) && filter.matches(document))
      : [];
    const own: DocumentRecord[] = [];
    let ownExhausted = !filter.includesSelf;
    let ownAfter = after;
    while (!ownExhausted && own.length <= pageSize) {
      const page = await this.store.list(scope, ownAfter, pageSize + 1);
      own.push(...page.items.filter((document) => document.Status === "Active" && filter.matches(document)));
      ownAfter = page.items.at(-1)?.Name ?? ownAfter;
      ownExhausted = !page.more;
    }
    const merged = [...amazon, ...own].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    const page = merged.slice(0, pageSize);
    // The loop above stops only when the account's documents ran out or more than a page matched.
    const more = merged.length > pageSize;
    const last = page.at(-1);
    return {
      DocumentIdentifiers: page.map(identify),
      NextToken: more && last ? encodeToken({ after: last.Name }) : undefined,
    };
  }

  async listVersions(scope: Scope, request: ListDocumentVersionsRequest) {
    const { document, awsOwned } = await this.locate(scope, request.Name as string);
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: number } => typeof value.after === "number",
    );
    const limit = request.MaxResults ?? DEFAULT_PAGE_SIZE;
    const page = awsOwned
      ? { items: [awsOwnedVersion(document.Name, document.DefaultVersion) as VersionRecord], more: false }
      : await this.store.listVersions(scope, document.Name, { after: cursor?.after, limit });
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
    const { document, awsOwned } = await this.locate(scope, nameOrArn);
    const version = await this.version(scope, document, documentVersion);
    const body = parseContent(version.Content, version.DocumentFormat);
    return {
      document,
      version,
      owner: awsOwned ? ("Amazon" as const) : ("Self" as const),
      parameterDefinitions: body?.parameters as Record<string, unknown> | undefined,
    };
  }

  /** Fails with InvalidDocument unless the document exists (one read at most). */
  async assertExists(scope: Scope, nameOrArn: string): Promise<void> {
    await this.locate(scope, nameOrArn);
  }

  /** The account's own document by name, for tagging: AWS-owned documents can't be tagged. */
  async ownDocument(scope: Scope, name: string): Promise<DocumentRecord | undefined> {
    const document = await this.store.get(scope, name);
    return document?.Status === "Active" ? document : undefined;
  }

  async putTags(scope: Scope, document: DocumentRecord, tags: Tag[]): Promise<void> {
    await this.store.putTags(scope, document, tags);
  }

  /** Finds a document by name or ARN: AWS-owned first, then the account's own. */
  private async locate(scope: Scope, nameOrArn: string): Promise<Located> {
    const name = resolveDocumentName(nameOrArn, scope);
    const owned = awsOwnedDocuments.get(name);
    if (owned) return { document: owned.document, awsOwned: true };
    const document = await this.store.get(scope, name);
    if (document?.Status !== "Active") throw new InvalidDocument(documentNotFound(nameOrArn));
    return { document, awsOwned: false };
  }

  /**
   * The version a request means: `$DEFAULT` (or nothing), `$LATEST`, a number, or a version
   * name; when both a number and a name are given they must name the same version.
   */
  private async version(
    scope: Scope,
    document: DocumentRecord,
    documentVersion: string | undefined,
    versionName?: string,
  ): Promise<VersionRecord> {
    let number: number | undefined;
    if (versionName !== undefined) {
      number = await this.versionNumberOfName(scope, document, versionName);
      if (number === undefined) throw invalidVersion();
    }
    if (documentVersion !== undefined && documentVersion !== "$DEFAULT") {
      const wanted = documentVersion === "$LATEST" ? document.LatestVersion : Number(documentVersion);
      if (number !== undefined && number !== wanted) throw invalidVersion();
      number = wanted;
    }
    number ??= document.DefaultVersion;
    const version =
      document.Owner === AMAZON_OWNER
        ? awsOwnedVersion(document.Name, number)
        : await this.store.getVersion(scope, document.Name, number);
    if (!version) throw invalidVersion();
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

/** A document as ListDocuments shows it: its default version's summary. */
function identify(document: DocumentRecord): DocumentIdentifier {
  const summary = document.Default;
  return {
    Name: document.Name,
    CreatedDate: new Date(document.CreatedDate),
    DisplayName: summary.DisplayName,
    Owner: document.Owner,
    VersionName: summary.VersionName,
    PlatformTypes: summary.PlatformTypes,
    DocumentVersion: String(summary.DocumentVersion),
    DocumentType: document.DocumentType,
    SchemaVersion: summary.SchemaVersion,
    DocumentFormat: summary.DocumentFormat,
    TargetType: summary.TargetType,
    Tags: document.Tags,
    Requires: summary.Requires,
  };
}
