/**
 * Documents as the store keeps them. A document is a head record (document-wide facts, plus a
 * summary of its default version so listing needs no second read) and one record per version.
 */
import type {
  DocumentFormat,
  DocumentParameter,
  DocumentRequires,
  DocumentType,
  PlatformType,
  Tag,
} from "@aws-sdk/client-ssm";
import type { ParsedContent } from "./analysis.ts";

export type VersionRecord = {
  Name: string;
  DocumentVersion: number;
  VersionName?: string;
  DisplayName?: string;
  TargetType?: string;
  Content: string;
  DocumentFormat: DocumentFormat;
  Hash: string;
  SchemaVersion?: string;
  Description?: string;
  Parameters: DocumentParameter[];
  PlatformTypes: PlatformType[];
  Requires?: DocumentRequires[];
  /** ISO-8601 */
  CreatedDate: string;
  /**
   * A YAML version's `parameters` as JSON text, kept so that an association's parameter check
   * (documents/reader.ts) needs no YAML parser; a JSON version's content is read as it is.
   */
  ParameterDefinitions?: string;
};

/** What ListDocuments shows of the default version. */
export type VersionSummary = Pick<
  VersionRecord,
  | "DocumentVersion"
  | "VersionName"
  | "DisplayName"
  | "TargetType"
  | "DocumentFormat"
  | "SchemaVersion"
  | "PlatformTypes"
  | "Requires"
>;

export type DocumentRecord = {
  Name: string;
  DocumentType: DocumentType;
  /** The owning account id, or "Amazon" for AWS-owned documents. */
  Owner: string;
  /** ISO-8601 */
  CreatedDate: string;
  /** "Deleting" once a whole-document delete has passed its guard. */
  Status: "Active" | "Deleting";
  DefaultVersion: number;
  LatestVersion: number;
  /** The last version number handed out: numbers are never reused, even after a delete. */
  VersionSeq: number;
  VersionCount: number;
  /**
   * Associations that name this document, in any account it is shared with; a whole-document
   * delete requires zero.
   */
  AssociationCount: number;
  /** Accounts the document is shared with by id (absent: none); a whole-document delete requires zero. */
  ShareCount?: number;
  /** Shared with every account (`all`); a whole-document delete requires it unset. */
  SharedPublicly?: boolean;
  /** Bumped by every change to this record: the optimistic-concurrency token of its writes. */
  Revision: number;
  Tags: Tag[];
  Default: VersionSummary;
  /** The latest version's summary (what UpdateDocument carries over); absent on heads written before it was kept. */
  Latest?: VersionSummary;
};

/** One account (or `all`) a document is shared with, and the version it may use. */
export type DocumentShareRecord = {
  Name: string;
  OwnerAccountId: string;
  /** A 12-digit account id, or "all". */
  AccountId: string;
  SharedDocumentVersion: string;
};

export const summaryOf = (version: VersionRecord): VersionSummary => ({
  DocumentVersion: version.DocumentVersion,
  VersionName: version.VersionName,
  DisplayName: version.DisplayName,
  TargetType: version.TargetType,
  DocumentFormat: version.DocumentFormat,
  SchemaVersion: version.SchemaVersion,
  PlatformTypes: version.PlatformTypes,
  Requires: version.Requires,
});

/** What a caller supplies for a new version; everything else is derived from the content. */
export type NewVersion = Pick<
  VersionRecord,
  "Name" | "DocumentVersion" | "Content" | "DocumentFormat" | "CreatedDate"
> &
  Partial<Pick<VersionRecord, "VersionName" | "DisplayName" | "TargetType" | "Requires">>;

/** A version record from what its content's analysis derived (content.ts `versionRecord` analyzes it). */
export function versionOf(input: NewVersion, analyzed: ParsedContent): VersionRecord {
  return {
    ...input,
    Hash: analyzed.hash,
    SchemaVersion: analyzed.schemaVersion,
    Description: analyzed.description,
    Parameters: analyzed.parameters,
    PlatformTypes: analyzed.platformTypes,
    ParameterDefinitions: analyzed.parameterDefinitions,
  };
}

/** The head record of a document whose only version is `version`. */
export function documentRecord(
  version: VersionRecord,
  documentType: DocumentType,
  owner: string,
  tags: Tag[],
): DocumentRecord {
  return {
    Name: version.Name,
    DocumentType: documentType,
    Owner: owner,
    CreatedDate: version.CreatedDate,
    Status: "Active",
    DefaultVersion: version.DocumentVersion,
    LatestVersion: version.DocumentVersion,
    VersionSeq: version.DocumentVersion,
    VersionCount: 1,
    AssociationCount: 0,
    Revision: 0,
    Tags: tags,
    Default: summaryOf(version),
    Latest: summaryOf(version),
  };
}
