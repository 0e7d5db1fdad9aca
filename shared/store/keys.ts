/**
 * Every key of the single table is built here, and nowhere else.
 *
 * Layout (one row per item type; `<scope>` is `<accountId>#<region>`):
 *
 * | item                  | PK                         | SK                        | GSI1PK            | GSI1SK  |
 * |-----------------------|----------------------------|---------------------------|-------------------|---------|
 * | Document (head)       | DOC#<scope>#<name>         | DOCUMENT                  | DOCS#<scope>      | <name>  |
 * | DocumentVersion       | DOC#<scope>#<name>         | VERSION#<000001>          |                   |         |
 * | DocumentDefault       | DOC#<scope>#<name>         | DEFAULT                   |                   |         |
 * | DocumentVersionName   | DOC#<scope>#<name>         | VERSIONNAME#<versionName> |                   |         |
 * | DocumentContentHash   | DOC#<scope>#<name>         | HASH#<sha256>             |                   |         |
 * | DocumentShare         | DOC#<scope>#<name>         | SHARE#<accountId or all>  | SHARED#<grantee>#<region> | <name>#<owner> |
 * | Counter               | ACCOUNT#<scope>            | COUNTER#<what>            |                   |         |
 * | Account               | ACCOUNT#<accountId>        | ACCOUNT                   | ACCOUNTS          | <id>    |
 * | AccessKey             | ACCESSKEY#<accessKeyId>    | ACCESSKEY                 | KEYS#<accountId>  | <keyId> |
 * | Activation            | ACTIVATION#<activationId>  | ACTIVATION                | ACTIVATIONS#<scope> | <id>  |
 * | Node                  | NODE#<scope>#<instanceId>  | NODE                      | NODES#<scope>     | <id>    |
 * | NodeIdentity          | NODEIDENTITY#<mi-id>       | NODEIDENTITY              |                   |         |
 * | NodeTag               | NODETAG#<scope>#<tag key>  | <instanceId>              | NODETAGVALUE#<scope>#<key>=<value> | <instanceId> |
 * | Association (head)    | ASSOC#<scope>#<id>         | ASSOCIATION               | ASSOCS#<scope>    | <id>    |
 * | AssociationVersion    | ASSOC#<scope>#<id>         | VERSION#<000001>          |                   |         |
 * | LegacyAssociation     | LEGACY#<scope>#<doc>#<node>| LEGACY                    |                   |         |
 * | AssociationTombstone  | ASSOC#<scope>#<id>         | DELETED                   | ASSOCSWEEP        | <account>#<region>#<id> |
 * | AssociationTarget     | ASSOC#<scope>#<id>         | TARGET#<instanceId>       | NODEASSOCS#<scope>#<node> | <id> |
 * | AssociationLookup     | ALOOKUP#<scope>#<lookup key> | <id>                    |                   |         |
 * | Compliance            | COMPLIANCE#<scope>#<type>#<resource> | TYPE#<complianceType> | COMPLIANCE#<scope> | <resource>#<complianceType> |
 * | ComplianceChunk       | COMPLIANCE#<scope>#<type>#<resource> | CHUNK#<complianceType>#<generation>#<0001> |  |  |
 * | AssociationExecution  | ASSOC#<scope>#<id>         | EXECUTION#<executionId>   |                   |         |
 * | ExecutionTarget       | EXEC#<scope>#<executionId> | TARGET#<resourceId>       |                   |         |
 * | ExecutionShard        | EXEC#<scope>#<executionId> | SHARD#<00>                |                   |         |
 * | InventoryType (head)  | INVENTORY#<scope>#<node>   | TYPE#<typeName>           | INVTYPE#<scope>#<typeName> | <node> |
 * | InventoryPart         | INVENTORY#<scope>#<node>   | PART#<typeName>#<0001>    |                   |         |
 * | CustomInventoryType   | INVSCHEMA#<scope>          | TYPE#<typeName>           |                   |         |
 * | Parameter (head)      | PARAM#<scope>#<name>       | PARAMETER                 | PARAMS#<scope>    | <name>  |
 * | ParameterVersion      | PARAM#<scope>#<name>       | VERSION#<000001>          |                   |         |
 * | Command (head)        | CMD#<scope>#<commandId>    | COMMAND                   | CMDS#<scope>      | <commandId> |
 * | CommandPayload        | CMD#<scope>#<commandId>    | PAYLOAD                   |                   |         |
 * | CommandCount          | CMD#<scope>#<commandId>    | COUNT#base, COUNT#<00..31> |                  |         |
 * | CommandGate           | CMD#<scope>#<commandId>    | GATE#<00..15>             |                   |         |
 * | Invocation            | CMD#<scope>#<commandId>    | INV#<instanceId>          | NODECMDS#<scope>#<node> | <commandId> |
 * | InvocationOutput      | CMD#<scope>#<commandId>    | OUT#<instanceId>#<plugin> |                   |         |
 * | QueuedMessage         | MSGQ#<scope>#<instanceId>  | <messageId>               |                   |         |
 * | AuditEvent            | AUDIT#<accountId>#<day>    | <time>#<requestId>        | AUDIT#<day>       | <time>#<accountId>#<requestId> |
 * | AuditRoutineCalls     | AUDIT#<accountId>#<day>    | <time>#routine#<id>       | AUDIT#<day>       | <time>#<accountId>#routine#<id> |
 *
 * GSI2 is the scheduler's index, sparse: an association head with a next run carries
 * GSI2PK `SCHEDULE#<shard>` (0..3, from its id) and GSI2SK `<next run ISO-8601>#<account>#<region>#<id>`,
 * so one query per shard, `GSI2SK <= now`, finds every due association of every account in
 * time order, and nothing else.
 *
 * A command head with work left carries GSI2PK `COMMANDDUE#<shard>` and GSI2SK `<next deadline
 * ISO-8601>#<account>#<region>#<commandId>` (its delivery timeout, then its expiry), so the
 * scheduler's tick settles timed-out invocations by one query per shard, as it finds due
 * associations.
 *
 * Run Command (shared/domain/commands): a command and everything it owns share one partition:
 * its head, its payload (the message every node gets, kept apart from the head that ListCommands
 * reads), its counters (a base and up to 32 shards, counter-shards.ts, summed on read: a node's
 * reply moves its own shard only), the MaxErrors gates (copies of the error count, one per group of
 * MaxConcurrency's slot chains: store/command-store.ts), one invocation per node (listed per node
 * through GSI1, newest command first) and one output item per node and plugin (`OUT#`, outside
 * the `INV#` range, so listing invocations reads no output). Command ids are time-ordered UUIDs,
 * as execution ids are, so `CMDS#` lists an account's commands newest first by reading backwards.
 *
 * The message queue (shared/domain/messages): one partition per node, one item per undelivered
 * message, keyed by its message id: a poll is one Query of the node's own partition, and an
 * idle node's partition is empty.
 *
 * Execution ids are time-ordered UUIDs (the first 48 bits are the creation time in ms, RFC
 * 9562's version 7), so `EXECUTION#<id>` sorts executions by creation time: a query read
 * backwards lists them newest first, a CreatedTime filter is a key range, and an execution is
 * still read by its id alone. Its targets have their own partition, so a big fleet's target
 * writes spread over partitions other than the association's.
 *
 * A parameter's head holds its latest version's fields (so GetParameter by name is one GetItem,
 * and GetParametersByPath / DescribeParameters are GSI1 queries by name prefix), its labels
 * (label -> version), tags and revision; each kept version (at most 100, numbered without gaps
 * from the head's `OldestVersion`) is an item beside it, with that version's labels. The
 * standard- and advanced-tier limits are the counters `COUNTER#StandardParameters` and
 * `COUNTER#AdvancedParameters`, taken in the creating transaction.
 *
 * The association index: one AssociationLookup item per lookup key of an association
 * (shared/domain/targets.ts: `InstanceIds=<id>`, `tag:<key>=<value>`, `tag-key=<key>`, and `*`
 * for what every node must check), in the key's own partition, so a node's view is one Query per
 * key it looks up (its id, each tag, each tag key, `*`) and never a read of the whole account.
 * A key longer than 512 characters (target values have no length limit) is replaced by its
 * SHA-256, the same on both sides, so the partition key stays under DynamoDB's 2,048 bytes; a
 * collision would only add a candidate, which the reader checks against the head.
 *
 * The node tag index (issue 30): one NodeTag item per tag of a node, written in the same
 * transaction as the node's tags (registration, AddTagsToResource, RemoveTagsFromResource,
 * deregistration), so the nodes a `tag-key=<key>` target names are one Query of the key's
 * partition, and those a `tag:<key>=<value>` target names one Query of GSI1's
 * `NODETAGVALUE#...` partition, both in instance id order, never a read of the account's nodes.
 * One item per (node, tag key): a changed value rewrites that one item (its GSI1 keys move), so a
 * tag write stays within the node's head + 50 items. A key (or key=value) longer than 512
 * characters is replaced by its SHA-256, as the association index does.
 *
 * A document and everything that belongs to it share one partition, so one Query reads or
 * deletes it whole. Its default version is kept twice: as its numbered version, and as a copy at
 * the fixed key `DEFAULT`, written in the same transaction as every change of the default (create,
 * UpdateDocumentDefaultVersion). A reader that wants the default version (DescribeDocument,
 * GetDocument, an association's document) knows both keys before it reads, so head and version
 * are one BatchGetItem instead of a head read followed by a version read. The copy is its own
 * item rather than members of the head because a version's content can be large (64 KB for a
 * Command document, more for other types, up to the request's 1 MiB), and the head is what every
 * listing reads through GSI1 (ListDocuments pages through heads; a 1 MB query page must hold many)
 * and what every association's reference count update rewrites. For the same reason the head
 * carries only small summaries: of the default version (what ListDocuments shows) and of the
 * latest version (what UpdateDocument carries over and checks), so an update reads the head alone. The head item alone is projected into GSI1, which lists an account's
 * documents in name order. Unique items (version names, content hashes) exist only so that a
 * conditional Put in the same transaction enforces uniqueness.
 *
 * A legacy association's pair item (`LEGACY#...`, unique per document and node) is a copy of the
 * association's head, written in every transaction that changes the head, and a legacy head
 * carries its node's target in the current run: UpdateAssociationStatus, which names the
 * association only by document and node, then reads the pair with the document and the node in
 * one BatchGetItem and writes once, instead of reading pair, head and run one after the other
 * (legacy-copy.ts says how the copy stays true).
 *
 * The audit trail (issue 31): one item per mutating request, and one per function instance and
 * account for a while of nodes' routine calls (counted, not stored one by one), in the account's
 * partition of the day (`<day>` is YYYY-MM-DD in UTC, `<time>` the ISO-8601 instant), so a time
 * range of one account is one query per day, in time order; GSI1 lists every account's by day the
 * same way. Each carries `ExpiresAt` (90 days on, CloudTrail's event history), which the table's
 * TTL removes at no cost.
 *
 * Accounts and access keys are global (not per region): a key is found by its id alone when a
 * request is verified, and lists the account it belongs to. So are activations (an unsigned
 * registration names only the activation) and node identities (a node signing with its RSA key
 * names only its instance id); each records the account and region it belongs to.
 */
import { createHash } from "node:crypto";
import type { Scope } from "../context.ts";

export type Key = { PK: string; SK: string };

export const EntityType = {
  Document: "Document",
  DocumentVersion: "DocumentVersion",
  DocumentDefault: "DocumentDefault",
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
  AssociationTombstone: "AssociationTombstone",
  AssociationTarget: "AssociationTarget",
  AssociationLookup: "AssociationLookup",
  NodeTag: "NodeTag",
  Compliance: "Compliance",
  ComplianceChunk: "ComplianceChunk",
  AssociationExecution: "AssociationExecution",
  ExecutionTarget: "ExecutionTarget",
  CounterShard: "CounterShard",
  InventoryType: "InventoryType",
  InventoryPart: "InventoryPart",
  CustomInventoryType: "CustomInventoryType",
  Parameter: "Parameter",
  ParameterVersion: "ParameterVersion",
  Command: "Command",
  CommandPayload: "CommandPayload",
  CommandCount: "CommandCount",
  CommandGate: "CommandGate",
  Invocation: "Invocation",
  InvocationOutput: "InvocationOutput",
  QueuedMessage: "QueuedMessage",
  AuditEvent: "AuditEvent",
  AuditRoutineCalls: "AuditRoutineCalls",
} as const;
export type EntityType = (typeof EntityType)[keyof typeof EntityType];

export const GSI1 = "GSI1";
export const GSI2 = "GSI2";

/** Shards of the scheduler's index: spread its writes over several GSI partitions. */
export const SCHEDULE_SHARDS = 4;
const scheduleShard = (associationId: string): number => {
  let sum = 0;
  for (const char of associationId) sum = (sum + char.charCodeAt(0)) % SCHEDULE_SHARDS;
  return sum;
};
export const EXECUTION_PREFIX = "EXECUTION#";

const scopeOf = (scope: Scope): string => `${scope.accountId}#${scope.region}`;
const MAX_LOOKUP_KEY = 512;
const lookupPartition = (scope: Scope, lookupKey: string): string => `ALOOKUP#${scopeOf(scope)}#${bounded(lookupKey)}`;
/** A partition key part that stays under DynamoDB's 2,048 bytes whatever the tag or target value. */
const bounded = (value: string): string =>
  value.length > MAX_LOOKUP_KEY ? `sha256:${createHash("sha256").update(value).digest("hex")}` : value;
const nodeTagPartition = (scope: Scope, tagKey: string): string => `NODETAG#${scopeOf(scope)}#${bounded(tagKey)}`;
const nodeTagValuePartition = (scope: Scope, tagKey: string, value: string): string =>
  `NODETAGVALUE#${scopeOf(scope)}#${bounded(`${tagKey}=${value}`)}`;
const documentPartition = (scope: Scope, name: string): string => `DOC#${scopeOf(scope)}#${name}`;
const commandPartition = (scope: Scope, commandId: string): string => `CMD#${scopeOf(scope)}#${commandId}`;
const twoDigits = (n: number): string => String(n).padStart(2, "0");
/** Shards of the command deadline index (GSI2), as the scheduler's. */
export const COMMAND_DUE_SHARDS = 4;
const parameterPartition = (scope: Scope, name: string): string => `PARAM#${scopeOf(scope)}#${name}`;
const auditPartition = (accountId: string, day: string): string => `AUDIT#${accountId}#${day}`;
const auditListingPartition = (day: string): string => `AUDIT#${day}`;

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
  /** A copy of the document's default version, read with the head in one BatchGetItem. */
  documentDefault: (scope: Scope, name: string): Key => ({ PK: documentPartition(scope, name), SK: "DEFAULT" }),
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
  counter: (
    scope: Scope,
    what:
      | "Documents"
      | "Associations"
      | "PublicShares"
      | "CustomInventoryTypes"
      | "StandardParameters"
      | "AdvancedParameters",
  ): Key => ({
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
  /** The scope a node's key names. */
  nodeScopeOf: (partitionKey: string): Scope => {
    const [, accountId = "", region = ""] = partitionKey.split("#");
    return { accountId, region };
  },
  nodeIdentity: (instanceId: string): Key => ({ PK: `NODEIDENTITY#${instanceId}`, SK: "NODEIDENTITY" }),
  /** One tag of one node (the node tag index): in its key's partition, listed by value through GSI1. */
  nodeTag: (scope: Scope, tagKey: string, instanceId: string): Key => ({
    PK: nodeTagPartition(scope, tagKey),
    SK: instanceId,
  }),
  nodeTagListing: (scope: Scope, tagKey: string, value: string, instanceId: string) => ({
    GSI1PK: nodeTagValuePartition(scope, tagKey, value),
    GSI1SK: instanceId,
  }),
  /** The nodes that have a tag key (a `tag-key` target), in id order. */
  nodeTagPartition: (scope: Scope, tagKey: string): string => nodeTagPartition(scope, tagKey),
  /** The nodes whose tag `tagKey` has this value (a `tag:<key>` target), in id order, on GSI1. */
  nodeTagValuePartition: (scope: Scope, tagKey: string, value: string): string =>
    nodeTagValuePartition(scope, tagKey, value),
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
  /**
   * What a deleted association leaves while its remaining items go (a run's targets, versions
   * beyond one transaction): listed in one GSI1 partition for every account, so the scheduler's
   * tick finishes deletes a crash interrupted.
   */
  associationTombstone: (scope: Scope, associationId: string): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: "DELETED",
  }),
  associationSweepListing: (scope: Scope, associationId: string) => ({
    GSI1PK: "ASSOCSWEEP",
    GSI1SK: `${scope.accountId}#${scope.region}#${associationId}`,
  }),
  associationSweepPartition: (): string => "ASSOCSWEEP",
  /** The scope and association a tombstone's listing names. */
  associationSweepEntryOf: (sortKey: string): { scope: Scope; associationId: string } => {
    const [accountId = "", region = "", associationId = ""] = sortKey.split("#");
    return { scope: { accountId, region }, associationId };
  },
  /** The status of one association on one node, listed per node through GSI1. */
  associationTarget: (scope: Scope, associationId: string, instanceId: string): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: `TARGET#${instanceId}`,
  }),
  nodeAssociationListing: (scope: Scope, instanceId: string, associationId: string) => ({
    GSI1PK: `NODEASSOCS#${scopeOf(scope)}#${instanceId}`,
    GSI1SK: associationId,
  }),
  /** One lookup key of one association (the association index). */
  associationLookup: (scope: Scope, lookupKey: string, associationId: string): Key => ({
    PK: lookupPartition(scope, lookupKey),
    SK: associationId,
  }),
  associationLookupPartition: (scope: Scope, lookupKey: string): string => lookupPartition(scope, lookupKey),
  nodeAssociationListingPartition: (scope: Scope, instanceId: string): string =>
    `NODEASSOCS#${scopeOf(scope)}#${instanceId}`,
  /** The compliance items of one type on one resource. */
  compliance: (scope: Scope, resourceType: string, resourceId: string, complianceType: string): Key => ({
    PK: `COMPLIANCE#${scopeOf(scope)}#${resourceType}#${resourceId}`,
    SK: `TYPE#${complianceType}`,
  }),
  /**
   * One chunk of a compliance type's items too big for its head (400 KB an item): chunks of a
   * generation are written before the head names that generation, so a reader never sees a mix.
   */
  complianceChunk: (
    scope: Scope,
    resourceType: string,
    resourceId: string,
    complianceType: string,
    generation: string,
    chunk: number,
  ): Key => ({
    PK: `COMPLIANCE#${scopeOf(scope)}#${resourceType}#${resourceId}`,
    SK: `CHUNK#${complianceType}#${generation}#${String(chunk).padStart(4, "0")}`,
  }),
  compliancePartition: (scope: Scope, resourceType: string, resourceId: string): string =>
    `COMPLIANCE#${scopeOf(scope)}#${resourceType}#${resourceId}`,
  complianceListing: (scope: Scope, resourceId: string, complianceType: string) => ({
    GSI1PK: `COMPLIANCE#${scopeOf(scope)}`,
    GSI1SK: `${resourceId}#${complianceType}`,
  }),
  complianceListingPartition: (scope: Scope): string => `COMPLIANCE#${scopeOf(scope)}`,
  /** One run of an association, in the association's partition, sorted by creation time. */
  execution: (scope: Scope, associationId: string, executionId: string): Key => ({
    PK: `ASSOC#${scopeOf(scope)}#${associationId}`,
    SK: `${EXECUTION_PREFIX}${executionId}`,
  }),
  /** The sort key of an execution id, or of an id prefix (a CreatedTime bound). */
  executionSortKey: (executionIdOrPrefix: string): string => `${EXECUTION_PREFIX}${executionIdOrPrefix}`,
  /** One resolved node of one execution. */
  executionTarget: (scope: Scope, executionId: string, resourceId: string): Key => ({
    PK: `EXEC#${scopeOf(scope)}#${executionId}`,
    SK: `TARGET#${resourceId}`,
  }),
  executionTargetPartition: (scope: Scope, executionId: string): string => `EXEC#${scopeOf(scope)}#${executionId}`,
  executionTargetSortKey: (resourceId: string): string => `TARGET#${resourceId}`,
  executionTargetPrefix: (): string => "TARGET#",
  /**
   * One counter shard of an execution (counter-shards.ts): beside its targets, sorting before
   * them, so a query of the targets names the TARGET# prefix.
   */
  executionShard: (scope: Scope, executionId: string, shard: number): Key => ({
    PK: `EXEC#${scopeOf(scope)}#${executionId}`,
    SK: `SHARD#${String(shard).padStart(2, "0")}`,
  }),
  /** The scheduler's index entry of an association due at `nextRun` (ISO-8601). */
  scheduleEntry: (scope: Scope, associationId: string, nextRun: string) => ({
    GSI2PK: `SCHEDULE#${scheduleShard(associationId)}`,
    GSI2SK: `${nextRun}#${scope.accountId}#${scope.region}#${associationId}`,
  }),
  schedulePartitions: (): string[] => Array.from({ length: SCHEDULE_SHARDS }, (_, shard) => `SCHEDULE#${shard}`),
  /** The upper bound of entries due at or before `now` (ISO-8601): `#` sorts before `~`. */
  scheduleDueBound: (now: string): string => `${now}~`,
  /** The scope and association an index entry names. */
  scheduleEntryOf: (sortKey: string): { scope: Scope; associationId: string } => {
    const [, accountId = "", region = "", associationId = ""] = sortKey.split("#");
    return { scope: { accountId, region }, associationId };
  },
  /**
   * A node's inventory: one head per type (listed per type across nodes through GSI1), and the
   * type's entries split into parts when they would not fit one item (400 KB).
   */
  inventoryType: (scope: Scope, instanceId: string, typeName: string): Key => ({
    PK: `INVENTORY#${scopeOf(scope)}#${instanceId}`,
    SK: `TYPE#${typeName}`,
  }),
  inventoryTypePrefix: (): string => "TYPE#",
  inventoryPartition: (scope: Scope, instanceId: string): string => `INVENTORY#${scopeOf(scope)}#${instanceId}`,
  inventoryPart: (scope: Scope, instanceId: string, typeName: string, part: number): Key => ({
    PK: `INVENTORY#${scopeOf(scope)}#${instanceId}`,
    SK: `PART#${typeName}#${String(part).padStart(4, "0")}`,
  }),
  inventoryTypeListing: (scope: Scope, typeName: string, instanceId: string) => ({
    GSI1PK: `INVTYPE#${scopeOf(scope)}#${typeName}`,
    GSI1SK: instanceId,
  }),
  inventoryTypeListingPartition: (scope: Scope, typeName: string): string => `INVTYPE#${scopeOf(scope)}#${typeName}`,
  /** A custom inventory type registered in the account: one per name, counted against the limit. */
  customInventoryType: (scope: Scope, typeName: string): Key => ({
    PK: `INVSCHEMA#${scopeOf(scope)}`,
    SK: `TYPE#${typeName}`,
  }),
  customInventoryTypePartition: (scope: Scope): string => `INVSCHEMA#${scopeOf(scope)}`,
  /** One document and one node: the pair a legacy (InstanceId) association makes unique. */
  legacyAssociation: (scope: Scope, documentName: string, instanceId: string): Key => ({
    PK: `LEGACY#${scopeOf(scope)}#${documentName}#${instanceId}`,
    SK: "LEGACY",
  }),
  parameter: (scope: Scope, name: string): Key => ({ PK: parameterPartition(scope, name), SK: "PARAMETER" }),
  parameterListing: (scope: Scope, name: string) => ({ GSI1PK: `PARAMS#${scopeOf(scope)}`, GSI1SK: name }),
  parameterListingPartition: (scope: Scope): string => `PARAMS#${scopeOf(scope)}`,
  parameterPartition: (scope: Scope, name: string): string => parameterPartition(scope, name),
  parameterVersion: (scope: Scope, name: string, version: number): Key => ({
    PK: parameterPartition(scope, name),
    SK: `${VERSION_PREFIX}${padVersion(version)}`,
  }),
  /** A command's head: listed per account and Region through GSI1, newest first by its time-ordered id. */
  command: (scope: Scope, commandId: string): Key => ({ PK: commandPartition(scope, commandId), SK: "COMMAND" }),
  commandListing: (scope: Scope, commandId: string) => ({ GSI1PK: `CMDS#${scopeOf(scope)}`, GSI1SK: commandId }),
  commandListingPartition: (scope: Scope): string => `CMDS#${scopeOf(scope)}`,
  commandPartition: (scope: Scope, commandId: string): string => commandPartition(scope, commandId),
  /** The message payload every node of the command gets. */
  commandPayload: (scope: Scope, commandId: string): Key => ({ PK: commandPartition(scope, commandId), SK: "PAYLOAD" }),
  /** The counts the command was created with (every invocation Pending). */
  commandCountBase: (scope: Scope, commandId: string): Key => ({
    PK: commandPartition(scope, commandId),
    SK: "COUNT#base",
  }),
  /** One shard of the command's status counts: a node's moves land on its own shard. */
  commandCountShard: (scope: Scope, commandId: string, shard: number): Key => ({
    PK: commandPartition(scope, commandId),
    SK: `COUNT#${twoDigits(shard)}`,
  }),
  /** One copy of the command's error count, read by the releases of its slot chains. */
  commandGate: (scope: Scope, commandId: string, gate: number): Key => ({
    PK: commandPartition(scope, commandId),
    SK: `GATE#${twoDigits(gate)}`,
  }),
  /** The command's deadline index entry (GSI2): due at `deadline` (ISO-8601). */
  commandDueEntry: (scope: Scope, commandId: string, deadline: string) => {
    let sum = 0;
    for (const char of commandId) sum = (sum + char.charCodeAt(0)) % COMMAND_DUE_SHARDS;
    return { GSI2PK: `COMMANDDUE#${sum}`, GSI2SK: `${deadline}#${scope.accountId}#${scope.region}#${commandId}` };
  },
  commandDuePartitions: (): string[] => Array.from({ length: COMMAND_DUE_SHARDS }, (_, shard) => `COMMANDDUE#${shard}`),
  /** The scope and command a deadline entry names. */
  commandDueEntryOf: (sortKey: string): { scope: Scope; commandId: string } => {
    const [, accountId = "", region = "", commandId = ""] = sortKey.split("#");
    return { scope: { accountId, region }, commandId };
  },
  /** One node's invocation of a command, listed per node through GSI1. */
  invocation: (scope: Scope, commandId: string, instanceId: string): Key => ({
    PK: commandPartition(scope, commandId),
    SK: `INV#${instanceId}`,
  }),
  invocationSortKey: (instanceId: string): string => `INV#${instanceId}`,
  invocationPrefix: (): string => "INV#",
  nodeCommandListing: (scope: Scope, instanceId: string, commandId: string) => ({
    GSI1PK: `NODECMDS#${scopeOf(scope)}#${instanceId}`,
    GSI1SK: commandId,
  }),
  nodeCommandListingPartition: (scope: Scope, instanceId: string): string => `NODECMDS#${scopeOf(scope)}#${instanceId}`,
  /** What one plugin (step) of one node's invocation reported. */
  invocationOutput: (scope: Scope, commandId: string, instanceId: string, pluginId: string): Key => ({
    PK: commandPartition(scope, commandId),
    SK: `OUT#${instanceId}#${pluginId}`,
  }),
  /** The sort-key prefix of one node's outputs (`#` ends the node id: no node id is a prefix of another's range). */
  invocationOutputPrefix: (instanceId: string): string => `OUT#${instanceId}#`,
  /** One undelivered message of one node, in the node's own queue partition. */
  queuedMessage: (scope: Scope, instanceId: string, messageId: string): Key => ({
    PK: `MSGQ#${scopeOf(scope)}#${instanceId}`,
    SK: messageId,
  }),
  messageQueuePartition: (scope: Scope, instanceId: string): string => `MSGQ#${scopeOf(scope)}#${instanceId}`,
  /** A request in the audit trail: `time` is its ISO-8601 instant, whose day names the partition. */
  auditEvent: (accountId: string, time: string, requestId: string): Key => ({
    PK: auditPartition(accountId, time.slice(0, 10)),
    SK: `${time}#${requestId}`,
  }),
  auditEventListing: (accountId: string, time: string, requestId: string) => ({
    GSI1PK: auditListingPartition(time.slice(0, 10)),
    GSI1SK: `${time}#${accountId}#${requestId}`,
  }),
  /** A function instance's count of nodes' routine calls in an account, written at `time`. */
  auditRoutineCalls: (accountId: string, time: string, id: string): Key => ({
    PK: auditPartition(accountId, time.slice(0, 10)),
    SK: `${time}#routine#${id}`,
  }),
  auditRoutineCallsListing: (accountId: string, time: string, id: string) => ({
    GSI1PK: auditListingPartition(time.slice(0, 10)),
    GSI1SK: `${time}#${accountId}#routine#${id}`,
  }),
  /** An account's audit partition of a day (YYYY-MM-DD), and every account's of the day on GSI1. */
  auditPartition: (accountId: string, day: string): string => auditPartition(accountId, day),
  auditListingPartition: (day: string): string => auditListingPartition(day),
};
