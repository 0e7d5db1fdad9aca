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
import type { DocumentRecord, VersionRecord } from "../domain/documents/records.ts";
import type { DocumentStore } from "../domain/documents/store.ts";
import type { Page } from "../lib/page.ts";
import { markDeletingIfUnreferenced } from "./document-references.ts";
import { failedCondition, isTransactionConflict, retryOnConflict } from "./dynamodb.ts";
import {
  deletePartition,
  getAttribute,
  gsiPage,
  releaseSlot,
  TableStore,
  type TransactItem,
  takeSlot,
  transact,
  versionPage,
  writeTags,
} from "./items.ts";
import { EntityType, keys } from "./keys.ts";

const COUNTER = "Documents" as const;
/** Why each of versionItems' writes can fail, in their order: a concurrent writer, or a duplicate. */
const VERSION_ITEM_FAILURES = [documentTooManyUpdates, duplicateDocumentContent, duplicateVersionName];

export class DynamoDocumentStore extends TableStore implements DocumentStore {
  async get(scope: Scope, name: string): Promise<DocumentRecord | undefined> {
    return this.record<DocumentRecord>(keys.document(scope, name));
  }

  async getVersion(scope: Scope, name: string, version: number): Promise<VersionRecord | undefined> {
    return this.record<VersionRecord>(keys.documentVersion(scope, name, version));
  }

  async versionNumberOf(scope: Scope, name: string, versionName: string): Promise<number | undefined> {
    const key = keys.documentVersionName(scope, name, versionName);
    return getAttribute<number>(this.db, this.table, key, "DocumentVersion");
  }

  async create(scope: Scope, document: DocumentRecord, version: VersionRecord, documentLimit: number): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, document),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      takeSlot(this.table, keys.counter(scope, COUNTER), documentLimit),
      ...this.versionItems(scope, version),
    ];
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      const failed = failedCondition(error);
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
          "SET LatestVersion = :version, VersionSeq = :version, VersionCount = VersionCount + :one, Revision = Revision + :one",
        ConditionExpression: "Revision = :revision AND #status = :active",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: {
          ":version": version.DocumentVersion,
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
    await this.transactOnHead(document, [head, versionExists], [invalidDocumentVersion]);
  }

  async deleteVersion(
    scope: Scope,
    document: DocumentRecord,
    version: VersionRecord,
    newLatest: number,
  ): Promise<void> {
    const head: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.document(scope, document.Name),
        UpdateExpression: "SET LatestVersion = :latest, VersionCount = VersionCount - :one, Revision = Revision + :one",
        ConditionExpression: "Revision = :revision AND #status = :active AND DefaultVersion <> :version",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: {
          ":latest": newLatest,
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
   * Deletes a document in two steps, because a document can hold more versions than one
   * transaction can carry. The first write is the guard: it fails unless no association names
   * the document, and marks it Deleting so that no association can be created from then on.
   * Then the other items go, and last the head with the account's document counter.
   */
  async delete(scope: Scope, name: string): Promise<void> {
    const head = keys.document(scope, name);
    await markDeletingIfUnreferenced(this.db, this.table, scope, name);
    await deletePartition(this.db, this.table, head.PK, [head.SK]);
    // The head goes only once: of two concurrent deletes, one removes it and decrements the counter.
    const finish: TransactItem[] = [
      { Delete: { TableName: this.table, Key: head, ConditionExpression: "attribute_exists(PK)" } },
      releaseSlot(this.table, keys.counter(scope, COUNTER)),
    ];
    try {
      await retryOnConflict(() => transact(this.db, finish));
    } catch (error) {
      if (failedCondition(error)?.index === 0) throw documentNotFound(name);
      throw error;
    }
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
