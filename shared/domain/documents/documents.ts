/**
 * The Documents API's behaviour, independent of the wire and of DynamoDB: which version a
 * request means, what may change, and what each answer contains. AWS-owned documents are read
 * from the built-in catalog; the account's own from the store. The operations here parse content
 * (content.ts, with its YAML parser): create and update. The others are registry.ts's and
 * GetDocument's retrieval.ts, which load no parser at import, so that their functions carry none.
 */
import type { CreateDocumentRequest, DocumentDescription, UpdateDocumentRequest } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import {
  DocumentVersionLimitExceeded,
  InvalidDocumentContent,
  InvalidDocumentSchemaVersion,
  InvalidDocumentVersion,
  MaxDocumentSizeExceeded,
  ValidationException,
} from "../../errors.ts";
import { initialTags } from "../tags.ts";
import { MAX_CONTENT_BYTES } from "./analysis.ts";
import { versionRecord } from "./content.ts";
import { describeVersion } from "./description.ts";
import { awsOwnedIsReadOnly } from "./errors.ts";
import { assertNameNotReserved } from "./names.ts";
import { DocumentReader } from "./reader.ts";
import { documentRecord } from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

export const DOCUMENT_LIMIT = 500;
export const VERSION_LIMIT = 1000;

/** Document types whose content is not a schema'd SSM document and may be TEXT. */
const TEXT_DOCUMENT_TYPES = new Set(["ApplicationConfiguration", "ChangeCalendar"]);

export type DocumentLimits = { documents: number; versions: number };

/**
 * The Documents API's operations that parse content (create, update). On the reader, not the
 * registry (registry.ts), so that their functions do not carry the registry's operations too.
 */
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
    assertRequiresSize(request.Requires);
    const documentType = request.DocumentType ?? "Command";
    const format = request.DocumentFormat ?? "JSON";
    assertFormatFits(format, documentType);
    await checkTypedContent(request.Content as string, documentType);
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
    return { ...describeVersion(document, version), Status: "Creating" };
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
    await checkTypedContent(request.Content as string, document.DocumentType);
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
    return { ...describeVersion(updated, version), Status: "Updating" };
  }
}

/**
 * Requires, kept with the version and in the head's summaries of its default and latest versions,
 * is bounded as the content is (64 KB): the model sets no limit on its entries, and without one a
 * 10,000-entry list made an item past DynamoDB's 400 KB (issue 29, defect 2). The model's
 * MaxDocumentSizeExceeded says what: "The size limit of a document is 64 KB."
 */
function assertRequiresSize(requires: unknown[] | undefined): void {
  if (requires && Buffer.byteLength(JSON.stringify(requires)) > MAX_CONTENT_BYTES) {
    throw new MaxDocumentSizeExceeded("The document's Requires exceed the maximum size of 64 KB.");
  }
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
  // A Change Calendar "stores iCalendar 2.0 data in plaintext format" (the Change Calendar user guide).
  if (documentType === "ChangeCalendar" && format !== "TEXT") {
    throw new InvalidDocumentContent(`DocumentFormat ${format} is not supported for document type ChangeCalendar.`);
  }
}

/**
 * The checks of a content whose type has a format of its own: a ChangeCalendar's must be an
 * iCalendar VCALENDAR. Its parser is loaded here, for that type only (calendars/calendar.ts).
 */
async function checkTypedContent(content: string, documentType: string): Promise<void> {
  if (documentType !== "ChangeCalendar") return;
  const { checkCalendarContent } = await import("../calendars/calendar.ts");
  checkCalendarContent(content);
}
