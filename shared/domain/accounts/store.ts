/** The store the accounts domain needs: accounts and access keys, global (not per region). */
import type { AccessKeyRecord, AccountRecord } from "./records.ts";

export interface CredentialStore {
  /** Eventually consistent is enough: verification caches keys anyway. */
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  /** Fails with AccountExists when the id is taken. */
  putAccount(account: AccountRecord): Promise<void>;
  listAccounts(): Promise<AccountRecord[]>;
  /** Fails with AccountNotFound or AccessKeyExists. */
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  /**
   * A managed node's session key (NodeId set), whose account is the node's own, known since the
   * node registered (accounts are never deleted): fails with AccessKeyExists only.
   */
  putNodeAccessKey(key: AccessKeyRecord & { NodeId: string }): Promise<void>;
  listAccessKeys(accountId: string): Promise<AccessKeyRecord[]>;
  /** Fails with AccessKeyNotFound. */
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyRecord["Status"]): Promise<void>;
  /** Fails with AccessKeyNotFound. */
  deleteAccessKey(accessKeyId: string): Promise<void>;
}
