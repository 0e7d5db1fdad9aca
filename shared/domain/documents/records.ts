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
  /** Associations that name this document; a whole-document delete requires zero. */
  AssociationCount: number;
  /** Bumped by every change to this record: the optimistic-concurrency token of its writes. */
  Revision: number;
  Tags: Tag[];
  Default: VersionSummary;
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
