/**
 * Every key of the single table is built here, and nowhere else.
 *
 * Layout (one row per item type; `<scope>` is `<accountId>#<region>`):
 *
 * | item                  | PK                         | SK                        | GSI1PK            | GSI1SK  |
 * |-----------------------|----------------------------|---------------------------|-------------------|---------|
 * | Document (head)       | DOC#<scope>#<name>         | DOCUMENT                  | DOCS#<scope>      | <name>  |
 * | DocumentVersion       | DOC#<scope>#<name>         | VERSION#<000001>          |                   |         |
 * | DocumentVersionName   | DOC#<scope>#<name>         | VERSIONNAME#<versionName> |                   |         |
 * | DocumentContentHash   | DOC#<scope>#<name>         | HASH#<sha256>             |                   |         |
 * | Counter               | ACCOUNT#<scope>            | COUNTER#<what>            |                   |         |
 *
 * A document and everything that belongs to it share one partition, so one Query reads or
 * deletes it whole. The head item alone is projected into GSI1, which lists an account's
 * documents in name order. Unique items (version names, content hashes) exist only so that a
 * conditional Put in the same transaction enforces uniqueness.
 */
import type { Scope } from "../protocol/request-context.ts";

export type Key = { PK: string; SK: string };

export const EntityType = {
  Document: "Document",
  DocumentVersion: "DocumentVersion",
  DocumentVersionName: "DocumentVersionName",
  DocumentContentHash: "DocumentContentHash",
  Counter: "Counter",
} as const;
export type EntityType = (typeof EntityType)[keyof typeof EntityType];

export const GSI1 = "GSI1";

const scopeOf = (scope: Scope): string => `${scope.accountId}#${scope.region}`;
const documentPartition = (scope: Scope, name: string): string => `DOC#${scopeOf(scope)}#${name}`;

/** Version numbers are zero-padded so that the sort key orders them numerically. */
export const VERSION_PREFIX = "VERSION#";
const padVersion = (version: number): string => String(version).padStart(6, "0");

export const keys = {
  document: (scope: Scope, name: string): Key => ({ PK: documentPartition(scope, name), SK: "DOCUMENT" }),
  documentListing: (scope: Scope, name: string) => ({ GSI1PK: `DOCS#${scopeOf(scope)}`, GSI1SK: name }),
  documentListingPartition: (scope: Scope): string => `DOCS#${scopeOf(scope)}`,
  documentVersion: (scope: Scope, name: string, version: number): Key => ({
    PK: documentPartition(scope, name),
    SK: `${VERSION_PREFIX}${padVersion(version)}`,
  }),
  documentVersionName: (scope: Scope, name: string, versionName: string): Key => ({
    PK: documentPartition(scope, name),
    SK: `VERSIONNAME#${versionName}`,
  }),
  documentContentHash: (scope: Scope, name: string, hash: string): Key => ({
    PK: documentPartition(scope, name),
    SK: `HASH#${hash}`,
  }),
  counter: (scope: Scope, what: "Documents"): Key => ({ PK: `ACCOUNT#${scopeOf(scope)}`, SK: `COUNTER#${what}` }),
};
