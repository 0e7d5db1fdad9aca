/**
 * Document shares in the single table: one item per (document, account or "all") in the
 * document's own partition (so DescribeDocumentPermission is one query, and a whole-document
 * delete would find them), listed per grantee and Region through GSI1 (ListDocuments
 * Owner=Private / Public). The head item counts the accounts (`ShareCount`) and marks a public
 * share (`SharedPublicly`): DeleteDocument's guard refuses while either is set
 * (document-references.ts), and every change is one transaction under the head's revision.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { documentNotFound, documentTooManyUpdates, tooManyPublicShares } from "../domain/documents/errors.ts";
import type { DocumentRecord, DocumentShareRecord, VersionRecord } from "../domain/documents/records.ts";
import type { DocumentShareStore, ShareChange, SharedDocument } from "../domain/documents/store.ts";
import type { Page } from "../lib/page.ts";
import { failedCondition, isTransactionConflict } from "./dynamodb.ts";
import { batchGet, plain, releaseSlot, TableStore, type TransactItem, takeSlot, transact } from "./items.ts";
import { EntityType, GSI1, keys } from "./keys.ts";

const PUBLIC = "all";

export class DynamoDocumentShareStore extends TableStore implements DocumentShareStore {
  async existing(owner: Scope, name: string, accountIds: string[]): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const found = await batchGet(
      this.db,
      this.table,
      accountIds.map((id) => keys.documentShare(owner, name, id)),
    );
    return new Set(
      found.filter((item) => item.Type === EntityType.DocumentShare).map((item) => item.AccountId as string),
    );
  }

  async list(owner: Scope, name: string, after: string | undefined, limit: number): Promise<Page<DocumentShareRecord>> {
    // Share sort keys are SHARE#<account id or all>; every one sorts below SHARE$.
    const from = keys.documentShare(owner, name, after ?? "");
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": from.PK, ":from": from.SK, ":to": keys.documentSharesEnd() },
        ConsistentRead: true,
        Limit: limit + 2,
      }),
    );
    const shares = Items.map((item) => plain<DocumentShareRecord>(item)).filter((share) => share.AccountId !== after);
    return { items: shares.slice(0, limit), more: shares.length > limit };
  }

  /**
   * One transaction: the head's share count and public mark (condition: still Active, still the
   * revision read), each share written or removed, and the account's public-share slot.
   */
  async modify(owner: Scope, document: DocumentRecord, change: ShareChange): Promise<void> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.document(owner, document.Name),
          UpdateExpression: "SET ShareCount = :count, SharedPublicly = :public, Revision = Revision + :one",
          ConditionExpression: "#status = :active AND Revision = :revision",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: {
            ":count": change.shareCount,
            ":public":
              change.public === "share"
                ? true
                : change.public === "unshare"
                  ? false
                  : (document.SharedPublicly ?? false),
            ":one": 1,
            ":active": "Active",
            ":revision": document.Revision,
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
    ];
    const slotIndex = change.public ? items.length : -1;
    if (change.public === "share")
      items.push(takeSlot(this.table, keys.counter(owner, "PublicShares"), change.publicLimit));
    if (change.public === "unshare") items.push(releaseSlot(this.table, keys.counter(owner, "PublicShares")));
    for (const share of change.put) {
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.documentShare(owner, share.Name, share.AccountId),
            ...keys.documentShareListing(owner, share.Name, share.AccountId),
            Type: EntityType.DocumentShare,
            ...share,
          },
        },
      });
    }
    for (const accountId of change.remove) {
      items.push({ Delete: { TableName: this.table, Key: keys.documentShare(owner, document.Name, accountId) } });
    }
    try {
      await transact(this.db, items);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) {
        throw failed.old?.Status === "Active" ? documentTooManyUpdates() : documentNotFound(document.Name);
      }
      if (failed && failed.index === slotIndex) throw tooManyPublicShares(change.publicLimit);
      if (failed || isTransactionConflict(error)) throw documentTooManyUpdates();
      throw error;
    }
  }

  async sharedDocument(
    owner: Scope,
    name: string,
    grantee: string,
    withDefault = false,
  ): Promise<SharedDocument | undefined> {
    const found = await batchGet(this.db, this.table, [
      keys.document(owner, name),
      keys.documentShare(owner, name, grantee),
      keys.documentShare(owner, name, PUBLIC),
      ...(withDefault ? [keys.documentDefault(owner, name)] : []),
    ]);
    const copy = plain<VersionRecord>(found.find((item) => item.Type === EntityType.DocumentDefault));
    const head = found.find((item) => item.Type === EntityType.Document);
    const shares = found.filter((item) => item.Type === EntityType.DocumentShare);
    // A share with this account names its own version; it wins over a public share.
    const share = shares.find((item) => item.AccountId === grantee) ?? shares[0];
    if (head?.Status !== "Active" || !share) return undefined;
    const document = plain<DocumentRecord>(head);
    const defaultVersion = copy?.DocumentVersion === document.DefaultVersion ? copy : undefined;
    return { document, share: plain<DocumentShareRecord>(share), defaultVersion };
  }

  async sharedWith(
    scope: Scope,
    grantee: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<SharedDocument & { listingKey: string }> & { last?: string }> {
    const partition = keys.documentSharesOfGrantee(scope, grantee);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: after ? "GSI1PK = :pk AND GSI1SK > :after" : "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": partition, ...(after ? { ":after": after } : {}) },
        Limit: limit + 1,
      }),
    );
    const page = Items.slice(0, limit);
    const heads = await batchGet(
      this.db,
      this.table,
      page.map((item) =>
        keys.document({ accountId: item.OwnerAccountId as string, region: scope.region }, item.Name as string),
      ),
    );
    const headOf = new Map(heads.map((head) => [`${head.Owner}#${head.Name}`, head]));
    const items = page.flatMap((item) => {
      const head = headOf.get(`${item.OwnerAccountId}#${item.Name}`);
      if (head?.Status !== "Active") return [];
      return [
        {
          document: plain<DocumentRecord>(head),
          share: plain<DocumentShareRecord>(item),
          listingKey: item.GSI1SK as string,
        },
      ];
    });
    return { items, more: Items.length > limit, last: page.at(-1)?.GSI1SK as string | undefined };
  }
}
