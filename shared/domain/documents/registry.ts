/**
 * The Documents API's operations on what is stored of a document (describe, list, versions, the
 * default version, metadata, delete): none parses content, so the functions that serve them carry
 * no YAML parser (content.ts). The operations that parse content (create, update) are `Documents`
 * (documents.ts); GetDocument's is retrieval.ts.
 */
import type {
  DeleteDocumentRequest,
  DescribeDocumentRequest,
  DocumentDescription,
  DocumentVersionInfo,
  ListDocumentsRequest,
  ListDocumentVersionsRequest,
  UpdateDocumentDefaultVersionRequest,
  UpdateDocumentMetadataRequest,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { InvalidDocument, InvalidDocumentOperation, InvalidDocumentVersion } from "../../errors.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { awsOwnedDocuments } from "./aws-owned/index.ts";
import { describeVersion } from "./description.ts";
import { awsOwnedIsReadOnly, documentNotFound } from "./errors.ts";
import { listDocuments } from "./listing.ts";
import { awsOwnedVersion, DocumentReader, type Located, wantOf } from "./reader.ts";
import { type DocumentRecord, summaryOf, type VersionRecord, type VersionSummary } from "./records.ts";

const DEFAULT_PAGE_SIZE = 50;

/** The Documents API's operations that read and change document records, not content. */
export class DocumentRegistry extends DocumentReader {
  async describe(scope: Scope, request: DescribeDocumentRequest): Promise<DocumentDescription> {
    const { located, version } = await this.requested(scope, request);
    return describeVersion(asSeenBy(located), version);
  }

  /**
   * UpdateDocumentMetadata: approval reviews of a change template in Change Manager (the API
   * reference describes nothing else). This service has no Change Manager, no reviewers and no
   * document types it reviews, so after the checks every operation has (the document, its
   * version) it refuses, saying why (docs/limits.md, "Not supported").
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
