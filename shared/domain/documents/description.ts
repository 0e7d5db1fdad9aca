/**
 * The DocumentDescription the Documents API answers with (CreateDocument, UpdateDocument,
 * DescribeDocument): one version of a document, as stored. Apart from the operations that answer
 * with it, so each of their functions carries it and nothing of the others.
 */
import type { DocumentDescription } from "@aws-sdk/client-ssm";
import type { DocumentRecord, VersionRecord } from "./records.ts";

/** The full DocumentDescription of one version of a document. */
export function describeVersion(document: DocumentRecord, version: VersionRecord): DocumentDescription {
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
