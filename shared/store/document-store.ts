/**
 * Documents in the single table. Each write that must hold an invariant is one conditional write
 * or one transaction; the condition that failed is mapped back to a domain error right here.
 *
 * - uniqueness of a name: `attribute_not_exists` on the head item;
 * - uniqueness of a version name or content within a document: a unique item in the transaction;
 * - the per-account document limit: a counter updated with a condition in the same transaction;
 * - concurrent changes to one document: the head's `Revision`, compared and bumped by each write;
 * - the association guard: `AssociationCount = 0` in the write that starts a whole-document delete
 *   (shared/store/document-references.ts).
 * A failed transaction is mapped back to its error by the position of the item that failed.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../context.ts";
import {
  documentAlreadyExists,
  documentLimitExceeded,
  documentNotFound,
  documentTooManyUpdates,
  duplicateDocumentContent,
  duplicateVersionName,
  invalidDocumentVersion,
} from "../domain/documents/errors.ts";
import {
  type DocumentRecord,
  summaryOf,
  type VersionRecord,
  type VersionSummary,
} from "../domain/documents/records.ts";
import type { DeletedDocument, DocumentStore } from "../domain/documents/store.ts";
import type { Page } from "../lib/page.ts";
import { guardRefusal, unreferencedGuard } from "./document-references.ts";
import { failedCondition, isTransactionConflict, retryOnConflict } from "./dynamodb.ts";
import {
  batchGet,
  batchGetById,
  getAttribute,
  gsiPage,
  keyId,
  plain,
  queryPages,
  releaseSlot,
  TableStore,
  type TransactItem,
  takeSlot,
  transact,
  versionPage,
  writeTags,
} from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";

const COUNTER = "Documents" as const;
/** What `readHashes` reads of a head and a version (one projection for both, as one batch has). */
const HASH_FIELDS = ["Status", "DefaultVersion", "LatestVersion", "DocumentVersion", "Hash"];
/** Items a transaction may carry beside a head write and the counter (DynamoDB's limit is 100). */
const TRANSACTION_ROOM = 98;

/** The keys of a document's head and of the version `want` names: a number's, or the default's copy. */
function headAndVersion(scope: Scope, name: string, want: number | "default"): { head: Key; other: Key } {
  return {
    head: keys.document(scope, name),
    other: want === "default" ? keys.documentDefault(scope, name) : keys.documentVersion(scope, name, want),
  };
}

/**
 * The version read beside its head, if it is the one `want` means. A default's copy that lagged
 * its head (it can't: both change in one transaction) would be ignored, and the caller reads the
 * version itself.
 */
function wantedVersion<V extends Pick<VersionRecord, "DocumentVersion">>(
  version: V | undefined,
  document: Pick<DocumentRecord, "DefaultVersion"> | undefined,
  want: number | "default",
): V | undefined {
  return version?.DocumentVersion === (want === "default" ? document?.DefaultVersion : want) ? version : undefined;
}

/** What a whole-document delete reads of its head. */
type PartitionHead = DeletedDocument & {
  Status: DocumentRecord["Status"];
  Revision: number;
  CreatedDate: string;
  /** Set by a delete that gave the account's slot back when it marked the head Deleting. */
  SlotReturned?: boolean;
};
/** Why each of versionItems' writes can fail, in their order: a concurrent writer, or a duplicate. */
const VERSION_ITEM_FAILURES = [documentTooManyUpdates, duplicateDocumentContent, duplicateVersionName];

export class DynamoDocumentStore extends TableStore implements DocumentStore {
  async get(scope: Scope, name: string): Promise<DocumentRecord | undefined> {
    return this.record<DocumentRecord>(keys.document(scope, name));
  }

  /** Through batchGet (items.ts), so that the request's other reads started with it share its round trip. */
  async head(scope: Scope, name: string): Promise<DocumentRecord | undefined> {
    const [item] = await batchGet(this.db, this.table, [keys.document(scope, name)]);
    return plain<DocumentRecord>(item);
  }

  /**
   * The head and one version in one BatchGetItem: a numbered version, or the copy of the default
   * one (keys.ts: DocumentDefault), kept only if it is the version meant (`wantedVersion`).
   */
  async read(
    scope: Scope,
    name: string,
    want: number | "default",
  ): Promise<{ document?: DocumentRecord; version?: VersionRecord }> {
    const { head, other } = headAndVersion(scope, name, want);
    const found = await batchGet(this.db, this.table, [head, other]);
    const document = plain<DocumentRecord>(found.find((item) => item.SK === head.SK));
    const version = plain<VersionRecord>(found.find((item) => item.SK === other.SK));
    return { document, version: wantedVersion(version, document, want) };
  }

  async readHashes(scope: Scope, wanted: readonly { name: string; want: number | "default" }[]) {
    const pairs = wanted.map(({ name, want }) => ({ ...headAndVersion(scope, name, want), want }));
    const found = await batchGetById(
      this.db,
      this.table,
      pairs.flatMap(({ head, other }) => [head, other]),
      HASH_FIELDS,
    );
    // The items as read (HASH_FIELDS and the keys), not copied into records: only read here.
    return pairs.map(({ head, other, want }) => {
      const document = found.get(keyId(head)) as
        | Pick<DocumentRecord, "Status" | "DefaultVersion" | "LatestVersion">
        | undefined;
      const version = found.get(keyId(other)) as Pick<VersionRecord, "DocumentVersion" | "Hash"> | undefined;
      return { document, version: wantedVersion(version, document, want) };
    });
  }

  async getVersion(scope: Scope, name: string, version: number): Promise<VersionRecord | undefined> {
    return this.record<VersionRecord>(keys.documentVersion(scope, name, version));
  }

  async versionNumberOf(scope: Scope, name: string, versionName: string): Promise<number | undefined> {
    const key = keys.documentVersionName(scope, name, versionName);
    return getAttribute<number>(this.db, this.table, key, "DocumentVersion");
  }

  async create(
    scope: Scope,
    document: DocumentRecord,
    version: VersionRecord,
    documentLimit: number,
    reclaimed = false,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, document),
          ConditionExpression: "attribute_not_exists(PK)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      takeSlot(this.table, keys.counter(scope, COUNTER), documentLimit),
      ...this.versionItems(scope, version),
      this.defaultCopy(scope, version),
    ];
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0 && failed.old?.Status === "Deleting" && !reclaimed) {
        // A delete of this name was interrupted: finish it, then create (see delete()).
        const { head, items: rest } = await this.partition(scope, document.Name);
        if (head?.Status === "Deleting") await this.finish(scope, document.Name, head, rest);
        return this.create(scope, document, version, documentLimit, true);
      }
      if (failed?.index === 0) throw documentAlreadyExists(document.Name);
      if (failed?.index === 1) throw documentLimitExceeded(documentLimit);
      if (isTransactionConflict(error)) throw documentTooManyUpdates();
      throw error;
    }
  }

  async addVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void> {
    const head: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.document(scope, document.Name),
        UpdateExpression:
          "SET LatestVersion = :version, Latest = :latest, VersionSeq = :version, VersionCount = VersionCount + :one, Revision = Revision + :one",
        ConditionExpression: "Revision = :revision AND #status = :active",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: {
          ":version": version.DocumentVersion,
          ":latest": summaryItem(summaryOf(version)),
          ":one": 1,
          ":revision": document.Revision,
          ":active": "Active",
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
    await this.transactOnHead(document, [head, ...this.versionItems(scope, version)], VERSION_ITEM_FAILURES);
  }

  async setDefaultVersion(scope: Scope, document: DocumentRecord, version: VersionRecord): Promise<void> {
    const head: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.document(scope, document.Name),
        UpdateExpression: "SET DefaultVersion = :version, #default = :summary, Revision = Revision + :one",
        ConditionExpression: "Revision = :revision AND #status = :active",
        ExpressionAttributeNames: { "#status": "Status", "#default": "Default" },
        ExpressionAttributeValues: {
          ":version": version.DocumentVersion,
          ":summary": summaryItem(version),
          ":one": 1,
          ":revision": document.Revision,
          ":active": "Active",
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
    // The version must still exist when it becomes the default.
    const versionExists: TransactItem = {
      ConditionCheck: {
        TableName: this.table,
        Key: keys.documentVersion(scope, document.Name, version.DocumentVersion),
        ConditionExpression: "attribute_exists(PK)",
      },
    };
    await this.transactOnHead(
      document,
      [head, versionExists, this.defaultCopy(scope, version)],
      [invalidDocumentVersion],
    );
  }

  async deleteVersion(
    scope: Scope,
    document: DocumentRecord,
    version: VersionRecord,
    newLatest: VersionSummary | undefined,
  ): Promise<void> {
    const latest = newLatest ?? document.Latest;
    const head: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.document(scope, document.Name),
        UpdateExpression: `SET LatestVersion = :latest, ${latest ? "Latest = :summary, " : ""}VersionCount = VersionCount - :one, Revision = Revision + :one`,
        ConditionExpression: "Revision = :revision AND #status = :active AND DefaultVersion <> :version",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: {
          ":latest": newLatest?.DocumentVersion ?? document.LatestVersion,
          ...(latest ? { ":summary": summaryItem(latest) } : {}),
          ":one": 1,
          ":revision": document.Revision,
          ":active": "Active",
          ":version": version.DocumentVersion,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
    const deletes: TransactItem[] = [
      {
        Delete: {
          TableName: this.table,
          Key: keys.documentVersion(scope, document.Name, version.DocumentVersion),
          ConditionExpression: "attribute_exists(PK)",
        },
      },
      { Delete: { TableName: this.table, Key: keys.documentContentHash(scope, document.Name, version.Hash) } },
    ];
    if (version.VersionName) {
      deletes.push({
        Delete: { TableName: this.table, Key: keys.documentVersionName(scope, document.Name, version.VersionName) },
      });
    }
    // Only the version's own delete has a condition: the version must still be there.
    await this.transactOnHead(document, [head, ...deletes], [invalidDocumentVersion]);
  }

  /**
   * Deletes a whole document, crash-safe: every write is one transaction, and whatever state an
   * interrupted delete leaves between two of them is one that later requests complete.
   *
   * One Query reads the partition's keys and the head's state. When the partition fits one
   * transaction beside the head and the account's counter (up to 98 items: the default's copy and
   * 32 versions with a version name each, 48 without), ONE transaction deletes the head on the deletion guard
   * (document-references.ts: Active, the revision read, no reference, no share), every item, and
   * gives the account's slot back. That is 2 round trips, the minimum: the items' keys (version
   * numbers with gaps, content hashes, version names) can't be known without reading them, and
   * the guard and the slot must go in the same write as the head. Nothing is ever half-done.
   *
   * A bigger document (up to 1,000 versions, three items each) can't go in one transaction
   * (100 items). Its first transaction marks the head Deleting on the same guard, gives the slot
   * back at once (`SlotReturned`) and deletes the first items: from then on the document reads as
   * gone everywhere and counts for nothing. The rest goes in later transactions (finish()), each
   * with a check that the head is still this Deleting document, the last one deleting the head.
   * A crash in between leaves a Deleting head, which DeleteDocument or CreateDocument of the name
   * finishes first; nothing else needs it gone (it holds no slot), so there is no sweeper.
   */
  async delete(scope: Scope, name: string, check?: (document: DeletedDocument) => void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { head, items } = await this.partition(scope, name);
      if (!head) throw documentNotFound(name);
      if (head.Status !== "Active") return this.finish(scope, name, head, items);
      check?.(head);
      if (await this.deleteActive(scope, name, head, items)) return;
      // The head moved between the read and the write (a new version, a tag): read it again.
      if (attempt >= 2) throw documentTooManyUpdates();
    }
  }

  /** The delete's one (or first) transaction; false when the head changed since it was read. */
  private async deleteActive(scope: Scope, name: string, head: PartitionHead, items: Key[]): Promise<boolean> {
    const guard = unreferencedGuard(head.Revision);
    const fits = items.length <= TRANSACTION_ROOM;
    const first: TransactItem = fits
      ? { Delete: { TableName: this.table, Key: keys.document(scope, name), ...guard } }
      : {
          Update: {
            TableName: this.table,
            Key: keys.document(scope, name),
            UpdateExpression: "SET #status = :deleting, SlotReturned = :true, Revision = Revision + :one",
            ...guard,
            ExpressionAttributeValues: {
              ...guard.ExpressionAttributeValues,
              ":deleting": "Deleting",
              ":true": true,
              ":one": 1,
            },
          },
        };
    const transaction = [
      first,
      releaseSlot(this.table, keys.counter(scope, COUNTER)),
      ...this.deletes(items.slice(0, TRANSACTION_ROOM)),
    ];
    try {
      // The counter is shared by every create and delete of the account: retry those races.
      await retryOnConflict(() => transact(this.db, transaction));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) {
        const refusal = guardRefusal(name, failed.old);
        if (refusal) throw refusal;
        return false;
      }
      if (isTransactionConflict(error)) throw documentTooManyUpdates();
      throw error;
    }
    if (!fits)
      await this.finish(
        scope,
        name,
        { ...head, Status: "Deleting", SlotReturned: true },
        items.slice(TRANSACTION_ROOM),
      );
    return true;
  }

  /**
   * Finishes the delete of a Deleting head: its remaining items, then the head. Every
   * transaction checks that the head is still the same Deleting document (its CreatedDate), so a
   * late finisher never touches a document created again under the name; when the check fails,
   * another request has finished, and so has this one. A head marked Deleting before slots were
   * given back at once (no `SlotReturned`) gives its slot back with its delete, exactly once.
   */
  private async finish(scope: Scope, name: string, head: PartitionHead, items: Key[]): Promise<void> {
    const headKey = keys.document(scope, name);
    const same = {
      ConditionExpression: "#status = :deleting AND CreatedDate = :created",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: { ":deleting": "Deleting", ":created": head.CreatedDate },
    };
    const batches: Key[][] = [];
    for (let i = 0; i < items.length; i += TRANSACTION_ROOM) batches.push(items.slice(i, i + TRANSACTION_ROOM));
    const last = batches.pop() ?? [];
    try {
      for (const batch of batches) {
        await transact(this.db, [
          { ConditionCheck: { TableName: this.table, Key: headKey, ...same } },
          ...this.deletes(batch),
        ]);
      }
      const lastWrite: TransactItem[] = head.SlotReturned
        ? [{ Delete: { TableName: this.table, Key: headKey, ...same } }]
        : [
            {
              Delete: {
                TableName: this.table,
                Key: headKey,
                ...same,
                ConditionExpression: `${same.ConditionExpression} AND attribute_not_exists(SlotReturned)`,
              },
            },
            releaseSlot(this.table, keys.counter(scope, COUNTER)),
          ];
      await retryOnConflict(() => transact(this.db, [...lastWrite, ...this.deletes(last)]));
    } catch (error) {
      if (failedCondition(error)?.index !== 0) throw error;
    }
  }

  /** The partition of a document: its head's state and the keys of every other item. */
  private async partition(scope: Scope, name: string): Promise<{ head?: PartitionHead; items: Key[] }> {
    const headKey = keys.document(scope, name);
    let head: PartitionHead | undefined;
    const items: Key[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": headKey.PK },
      ProjectionExpression: "PK, SK, #status, Revision, CreatedDate, DocumentType, SlotReturned",
      ExpressionAttributeNames: { "#status": "Status" },
      ConsistentRead: true,
    })) {
      for (const item of page) {
        if (item.SK === headKey.SK) head = plain<PartitionHead>(item);
        else items.push({ PK: item.PK as string, SK: item.SK as string });
      }
    }
    return { head, items };
  }

  private deletes(items: Key[]): TransactItem[] {
    return items.map((Key) => ({ Delete: { TableName: this.table, Key } }));
  }

  async putTags(scope: Scope, document: DocumentRecord, tags: Tag[]): Promise<void> {
    const head = { key: keys.document(scope, document.Name), revision: document.Revision, activeOnly: true };
    await writeTags(this.db, this.table, head, tags, (old) => headConflict(document.Name, old));
  }

  async list(scope: Scope, afterName: string | undefined, limit: number): Promise<Page<DocumentRecord>> {
    // GSI reads are eventually consistent: a document created a moment ago may be missing.
    return gsiPage<DocumentRecord>(this.db, this.table, keys.documentListingPartition(scope), afterName, limit);
  }

  async listVersions(
    scope: Scope,
    name: string,
    options: { after?: number; limit: number; newestFirst?: boolean },
  ): Promise<Page<VersionRecord>> {
    return versionPage<VersionRecord>(
      this.db,
      this.table,
      (version) => keys.documentVersion(scope, name, version),
      options,
    );
  }

  /** The version item plus the unique items that keep its content and version name unique. */
  private versionItems(scope: Scope, version: VersionRecord): TransactItem[] {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.documentVersion(scope, version.Name, version.DocumentVersion),
            Type: EntityType.DocumentVersion,
            ...version,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.documentContentHash(scope, version.Name, version.Hash),
            Type: EntityType.DocumentContentHash,
            DocumentVersion: version.DocumentVersion,
          },
          ConditionExpression: "attribute_not_exists(PK)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
    ];
    if (version.VersionName) {
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.documentVersionName(scope, version.Name, version.VersionName),
            Type: EntityType.DocumentVersionName,
            DocumentVersion: version.DocumentVersion,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      });
    }
    return items;
  }

  private headItem(scope: Scope, document: DocumentRecord): Record<string, unknown> {
    return {
      ...keys.document(scope, document.Name),
      ...keys.documentListing(scope, document.Name),
      Type: EntityType.Document,
      ...document,
      Default: summaryItem(document.Default),
      ...(document.Latest ? { Latest: summaryItem(document.Latest) } : {}),
    };
  }

  /** The copy of the default version beside the head (keys.ts: DocumentDefault). */
  private defaultCopy(scope: Scope, version: VersionRecord): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.documentDefault(scope, version.Name), Type: EntityType.DocumentDefault, ...version },
      },
    };
  }

  /**
   * Runs a transaction whose first item is a conditional write on the document head; a failed
   * condition at position i > 0 is `failures[i - 1]`.
   */
  private async transactOnHead(
    document: DocumentRecord,
    items: TransactItem[],
    failures: readonly (() => Error)[],
  ): Promise<void> {
    try {
      await transact(this.db, items);
    } catch (error) {
      const failed = failedCondition(error);
      if (!failed) throw isTransactionConflict(error) ? documentTooManyUpdates() : error;
      if (failed.index === 0) throw headConflict(document.Name, failed.old);
      throw (failures[failed.index - 1] ?? invalidDocumentVersion)();
    }
  }
}

/** Why a conditional write on a document head failed, from the head as it was. */
function headConflict(name: string, old: Record<string, unknown> | undefined): Error {
  if (old?.Status !== "Active") return documentNotFound(name);
  return documentTooManyUpdates();
}

/** DynamoDB rejects undefined members inside maps; drop them. */
function summaryItem(summary: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined));
}
