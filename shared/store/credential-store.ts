/**
 * Accounts and access keys in the single table. Uniqueness of an account id or an access key id
 * is `attribute_not_exists` on its item; a key can only be created for an existing account,
 * checked in the same transaction.
 */
import { AccessKeyExists, AccessKeyNotFound, AccountExists, AccountNotFound } from "../domain/accounts/errors.ts";
import type { AccessKeyRecord, AccountRecord } from "../domain/accounts/records.ts";
import type { CredentialStore } from "../domain/accounts/store.ts";
import { conditionalDelete, conditionalPut, conditionalUpdate, failedCondition } from "./dynamodb.ts";
import { gsiAll, TableStore, transact } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

export class DynamoCredentialStore extends TableStore implements CredentialStore {
  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    // Eventually consistent: verification caches keys anyway, and a key is read far more than written.
    return this.record<AccessKeyRecord>(keys.accessKey(accessKeyId), false);
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    return this.record<AccountRecord>(keys.account(accountId));
  }

  async putAccount(account: AccountRecord): Promise<void> {
    await conditionalPut(
      this.db,
      {
        TableName: this.table,
        Item: {
          ...keys.account(account.AccountId),
          ...keys.accountListing(account.AccountId),
          Type: EntityType.Account,
          ...account,
        },
        ConditionExpression: "attribute_not_exists(PK)",
      },
      () => new AccountExists(account.AccountId),
    );
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return gsiAll<AccountRecord>(this.db, this.table, keys.accountListingPartition());
  }

  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    try {
      await transact(this.db, [
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.account(key.AccountId),
            ConditionExpression: "attribute_exists(PK)",
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: accessKeyItem(key),
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
      ]);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw new AccountNotFound(key.AccountId);
      if (failed?.index === 1) throw new AccessKeyExists(key.AccessKeyId);
      throw error;
    }
  }

  async putNodeAccessKey(key: AccessKeyRecord & { NodeId: string }): Promise<void> {
    // One conditional put: the node renews every 30 minutes, and putAccessKey's transaction
    // billed the key twice and its account check as a write (12 write units on DynamoDB Local,
    // now 2: the key under 1 KB and its GSI1 copy).
    await conditionalPut(
      this.db,
      {
        TableName: this.table,
        Item: accessKeyItem(key),
        ConditionExpression: "attribute_not_exists(PK)",
      },
      () => new AccessKeyExists(key.AccessKeyId),
    );
  }

  async listAccessKeys(accountId: string): Promise<AccessKeyRecord[]> {
    return gsiAll<AccessKeyRecord>(this.db, this.table, keys.accessKeyListingPartition(accountId));
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKeyRecord["Status"]): Promise<void> {
    await conditionalUpdate(
      this.db,
      {
        TableName: this.table,
        Key: keys.accessKey(accessKeyId),
        UpdateExpression: "SET #status = :status",
        ConditionExpression: "attribute_exists(PK)",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: { ":status": status },
      },
      () => new AccessKeyNotFound(accessKeyId),
    );
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    await conditionalDelete(
      this.db,
      {
        TableName: this.table,
        Key: keys.accessKey(accessKeyId),
        ConditionExpression: "attribute_exists(PK)",
      },
      () => new AccessKeyNotFound(accessKeyId),
    );
  }
}

/** An access key's item: by its id, and listed under its account (GSI1). */
function accessKeyItem(key: AccessKeyRecord) {
  return {
    ...keys.accessKey(key.AccessKeyId),
    ...keys.accessKeyListing(key.AccountId, key.AccessKeyId),
    Type: EntityType.AccessKey,
    ...key,
  };
}
