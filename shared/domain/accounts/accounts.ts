/**
 * Accounts and their access keys: what the admin command and the local start-up do. Secrets are
 * generated here, sealed before they are stored, and returned to the caller only on creation.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { SecretBox } from "../../auth/secret-box.ts";
import { hashSessionToken } from "../../auth/session-token.ts";
import { AccountExists } from "./errors.ts";
import type { AccessKeyRecord, AccountRecord } from "./records.ts";
import type { CredentialStore } from "./store.ts";

/** The local default, as LocalStack users expect it. */
export const DEFAULT_ACCOUNT_ID = "000000000000";
export const DEFAULT_ACCESS_KEY_ID = "test";
export const DEFAULT_SECRET_ACCESS_KEY = "test";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** `AKIA` + 16 characters for long-term keys, `ASIA` for temporary ones, as AWS. */
export function newAccessKeyId(prefix: "AKIA" | "ASIA" = "AKIA"): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return id;
}

export function newSecretAccessKey(): string {
  return randomBytes(30)
    .toString("base64")
    .replace(/[+/]/g, (c) => (c === "+" ? "A" : "z"));
}

export type AccessKeyView = Omit<AccessKeyRecord, "SealedSecret" | "SessionTokenHash" | "ExpiresAt">;

export class Accounts {
  constructor(
    private readonly store: CredentialStore,
    private readonly box: SecretBox,
  ) {}

  async createAccount(accountId?: string, name?: string): Promise<AccountRecord> {
    const id = accountId ?? String(randomInt(1e11, 1e12)).padStart(12, "0");
    if (!/^\d{12}$/.test(id)) throw new Error(`an account id is 12 digits, not '${id}'`);
    const account: AccountRecord = { AccountId: id, Name: name, CreatedDate: new Date().toISOString() };
    await this.store.putAccount(account);
    return account;
  }

  listAccounts(): Promise<AccountRecord[]> {
    return this.store.listAccounts();
  }

  /** Creates a long-term key; the secret is in the answer and nowhere else in the clear. */
  async createAccessKey(
    accountId: string,
    given: { accessKeyId?: string; secretAccessKey?: string } = {},
  ): Promise<{ AccessKeyId: string; SecretAccessKey: string; AccountId: string }> {
    const accessKeyId = given.accessKeyId ?? newAccessKeyId();
    const secret = given.secretAccessKey ?? newSecretAccessKey();
    await this.putKey(accountId, accessKeyId, secret);
    return { AccessKeyId: accessKeyId, SecretAccessKey: secret, AccountId: accountId };
  }

  /** Temporary credentials for an account, optionally bound to one managed node (and named by its role). */
  async createTemporaryCredentials(
    accountId: string,
    lifetimeSeconds: number,
    node: { nodeId: string; role?: string | undefined } | undefined = undefined,
  ): Promise<{ AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date }> {
    const accessKeyId = newAccessKeyId("ASIA");
    const secret = newSecretAccessKey();
    const sessionToken = randomBytes(96).toString("base64");
    const expiration = new Date(Date.now() + lifetimeSeconds * 1000);
    const temporary = {
      SessionTokenHash: hashSessionToken(sessionToken),
      Expiration: expiration.toISOString(),
      // Kept a day past expiry so a late request still gets ExpiredTokenException, then removed.
      ExpiresAt: Math.floor(expiration.getTime() / 1000) + 86_400,
    };
    if (node) {
      await this.store.putNodeAccessKey({
        ...this.newKeyRecord(accountId, accessKeyId, secret),
        ...temporary,
        NodeId: node.nodeId,
        NodeRole: node.role,
      });
    } else {
      await this.putKey(accountId, accessKeyId, secret, temporary);
    }
    return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: sessionToken, Expiration: expiration };
  }

  /** Stores a new active key with its secret sealed; temporary keys add their session and expiry. */
  private putKey(
    accountId: string,
    accessKeyId: string,
    secret: string,
    temporary: Pick<AccessKeyRecord, "SessionTokenHash" | "Expiration" | "NodeId" | "NodeRole" | "ExpiresAt"> = {},
  ): Promise<void> {
    return this.store.putAccessKey({ ...this.newKeyRecord(accountId, accessKeyId, secret), ...temporary });
  }

  /** A new active key with its secret sealed. */
  private newKeyRecord(accountId: string, accessKeyId: string, secret: string): AccessKeyRecord {
    return {
      AccessKeyId: accessKeyId,
      AccountId: accountId,
      SealedSecret: this.box.seal(secret),
      Status: "Active",
      CreatedDate: new Date().toISOString(),
    };
  }

  async listAccessKeys(accountId?: string): Promise<AccessKeyView[]> {
    const accounts = accountId ? [accountId] : (await this.store.listAccounts()).map((account) => account.AccountId);
    const all = await Promise.all(accounts.map((id) => this.store.listAccessKeys(id)));
    return all.flat().map(({ SealedSecret: _s, SessionTokenHash: _t, ExpiresAt: _e, ...view }) => view);
  }

  setAccessKeyStatus(accessKeyId: string, status: "Active" | "Inactive"): Promise<void> {
    return this.store.setAccessKeyStatus(accessKeyId, status);
  }

  deleteAccessKey(accessKeyId: string): Promise<void> {
    return this.store.deleteAccessKey(accessKeyId);
  }

  /** The local default account and key (`test`/`test`), created on first start and kept after. */
  async ensureDefaults(): Promise<void> {
    try {
      await this.createAccount(DEFAULT_ACCOUNT_ID, "default");
    } catch (error) {
      if (!(error instanceof AccountExists)) throw error;
    }
    if (!(await this.store.getAccessKey(DEFAULT_ACCESS_KEY_ID))) {
      await this.createAccessKey(DEFAULT_ACCOUNT_ID, {
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
      });
    }
  }
}
