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
 * | DocumentShare         | DOC#<scope>#<name>         | SHARE#<accountId or all>  | SHARED#<grantee>#<region> | <name>#<owner> |
 * | Counter               | ACCOUNT#<scope>            | COUNTER#<what>            |                   |         |
 * | Account               | ACCOUNT#<accountId>        | ACCOUNT                   | ACCOUNTS          | <id>    |
 * | AccessKey             | ACCESSKEY#<accessKeyId>    | ACCESSKEY                 | KEYS#<accountId>  | <keyId> |
 * | Activation            | ACTIVATION#<activationId>  | ACTIVATION                | ACTIVATIONS#<scope> | <id>  |
 * | Node                  | NODE#<scope>#<instanceId>  | NODE                      | NODES#<scope>     | <id>    |
 * | NodeIdentity          | NODEIDENTITY#<mi-id>       | NODEIDENTITY              |                   |         |
 * | Association (head)    | ASSOC#<scope>#<id>         | ASSOCIATION               | ASSOCS#<scope>    | <id>    |
 * | AssociationVersion    | ASSOC#<scope>#<id>         | VERSION#<000001>          |                   |         |
 * | LegacyAssociation     | LEGACY#<scope>#<doc>#<node>| LEGACY                    |                   |         |
 * | AssociationTarget     | ASSOC#<scope>#<id>         | TARGET#<instanceId>       | NODEASSOCS#<scope>#<node> | <id> |
 * | Compliance            | COMPLIANCE#<scope>#<type>#<resource> | TYPE#<complianceType> | COMPLIANCE#<scope> | <resource>#<complianceType> |
 *
 * A document and everything that belongs to it share one partition, so one Query reads or
 * deletes it whole. The head item alone is projected into GSI1, which lists an account's
 * documents in name order. Unique items (version names, content hashes) exist only so that a
 * conditional Put in the same transaction enforces uniqueness.
 *
 * Accounts and access keys are global (not per region): a key is found by its id alone when a
 * request is verified, and lists the account it belongs to. So are activations (an unsigned
 * registration names only the activation) and node identities (a node signing with its RSA key
 * names only its instance id); each records the account and region it belongs to.
 */
import type { Scope } from "../context.ts";

export type Key = { PK: string; SK: string };

export const EntityType = {
  Document: "Document",
  DocumentVersion: "DocumentVersion",
  DocumentVersionName: "DocumentVersionName",
  DocumentContentHash: "DocumentContentHash",
  DocumentShare: "DocumentShare",
  Counter: "Counter",
  Account: "Account",
  AccessKey: "AccessKey",
  Activation: "Activation",
  Node: "Node",
  NodeIdentity: "NodeIdentity",
  Association: "Association",
  AssociationVersion: "AssociationVersion",
  LegacyAssociation: "LegacyAssociation",
  AssociationTarget: "AssociationTarget",
  Compliance: "Compliance",
} as const;
export type EntityType = (typeof EntityType)[keyof typeof EntityType];

export const GSI1 = "GSI1";

const scopeOf = (scope: Scope): string => `${scope.accountId}#${scope.region}`;
const documentPartition = (scope: Scope, name: string): string => `DOC#${scopeOf(scope)}#${name}`;

/** Version numbers are zero-padded so that the sort key orders them numerically. */
const VERSION_PREFIX = "VERSION#";
/** The highest version number a sort key can hold (six digits). */
export const MAX_VERSION_NUMBER = 999_999;
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
  /** One account (or "all") a document is shared with, beside the document. */
  documentShare: (owner: Scope, name: string, grantee: string): Key => ({
    PK: documentPartition(owner, name),
    SK: `SHARE#${grantee}`,
  }),
  /** Above every share's sort key (SHARE# < SHARE$): the end of a share range. */
  documentSharesEnd: (): string => "SHARE$",
  /** The documents shared with an account (or with "all"), per Region, in name order. */
  documentShareListing: (owner: Scope, name: string, grantee: string) => ({
    GSI1PK: `SHARED#${grantee}#${owner.region}`,
    GSI1SK: `${name}#${owner.accountId}`,
  }),
  documentSharesOfGrantee: (scope: Scope, grantee: string): string => `SHARED#${grantee}#${scope.region}`,
  counter: (scope: Scope, what: "Documents" | "Associations" | "PublicShares"): Key => ({
    PK: `ACCOUNT#${scopeOf(scope)}`,
    SK: `COUNTER#${what}`,
  }),
  account: (accountId: string): Key => ({ PK: `ACCOUNT#${accountId}`, SK: "ACCOUNT" }),
  accountListing: (accountId: string) => ({ GSI1PK: "ACCOUNTS", GSI1SK: accountId }),
  accountListingPartition: (): string => "ACCOUNTS",
  accessKey: (accessKeyId: string): Key => ({ PK: `ACCESSKEY#${accessKeyId}`, SK: "ACCESSKEY" }),
  accessKeyListing: (accountId: string, accessKeyId: string) => ({ GSI1PK: `KEYS#${accountId}`, GSI1SK: accessKeyId }),
  accessKeyListingPartition: (accountId: string): string => `KEYS#${accountId}`,
  activation: (activationId: string): Key => ({ PK: `ACTIVATION#${activationId}`, SK: "ACTIVATION" }),
  activationListing: (scope: Scope, activationId: string) => ({
    GSI1PK: `ACTIVATIONS#${scopeOf(scope)}`,
    GSI1SK: activationId,
  }),
  activationListingPartition: (scope: Scope): string => `ACTIVATIONS#${scopeOf(scope)}`,
  node: (scope: Scope, instanceId: string): Key => ({ PK: `NODE#${scopeOf(scope)}#${instanceId}`, SK: "NODE" }),
  nodeListing: (scope: Scope, instanceId: string) => ({ GSI1PK: `NODES#${scopeOf(scope)}`, GSI1SK: instanceId }),
  nodeListingPartition: (scope: Scope): string => `NODES#${scopeOf(scope)}`,
  nodeIdentity: (instanceId: string): Key => ({ PK: `NODEIDENTITY#${instanceId}`, SK: "NODEIDENTITY" }),
  association: (scope: Scope, associationId: string): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: "ASSOCIATION",
  }),
  associationListing: (scope: Scope, associationId: string) => ({
    GSI1PK: `ASSOCS#${scopeOf(scope)}`,
    GSI1SK: associationId,
  }),
  associationListingPartition: (scope: Scope): string => `ASSOCS#${scopeOf(scope)}`,
  associationVersion: (scope: Scope, associationId: string, version: number): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: `${VERSION_PREFIX}${padVersion(version)}`,
  }),
  /** The status of one association on one node, listed per node through GSI1. */
  associationTarget: (scope: Scope, associationId: string, instanceId: string): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: `TARGET#${instanceId}`,
  }),
  nodeAssociationListing: (scope: Scope, instanceId: string, associationId: string) => ({
    GSI1PK: `NODEASSOCS#${scopeOf(scope)}#${instanceId}`,
    GSI1SK: associationId,
  }),
  nodeAssociationListingPartition: (scope: Scope, instanceId: string): string =>
    `NODEASSOCS#${scopeOf(scope)}#${instanceId}`,
  /** The compliance items of one type on one resource. */
  compliance: (scope: Scope, resourceType: string, resourceId: string, complianceType: string): Key => ({
    PK: `COMPLIANCE#${scopeOf(scope)}#${resourceType}#${resourceId}`,
    SK: `TYPE#${complianceType}`,
  }),
  compliancePartition: (scope: Scope, resourceType: string, resourceId: string): string =>
    `COMPLIANCE#${scopeOf(scope)}#${resourceType}#${resourceId}`,
  complianceListing: (scope: Scope, resourceId: string, complianceType: string) => ({
    GSI1PK: `COMPLIANCE#${scopeOf(scope)}`,
    GSI1SK: `${resourceId}#${complianceType}`,
  }),
  complianceListingPartition: (scope: Scope): string => `COMPLIANCE#${scopeOf(scope)}`,
  /** One document and one node: the pair a legacy (InstanceId) association makes unique. */
  legacyAssociation: (scope: Scope, documentName: string, instanceId: string): Key => ({
    PK: `LEGACY#${scopeOf(scope)}#${documentName}#${instanceId}`,
    SK: "LEGACY",
  }),
};
