/** Accounts and the credentials that belong to them, as the store keeps them. */
export type AccountRecord = {
  AccountId: string;
  Name?: string;
  /** ISO-8601 */
  CreatedDate: string;
};

export type AccessKeyRecord = {
  AccessKeyId: string;
  AccountId: string;
  /** The secret access key, sealed with the credentials key (see shared/auth/secret-box.ts). */
  SealedSecret: string;
  Status: "Active" | "Inactive";
  /** ISO-8601 */
  CreatedDate: string;
  /** Temporary credentials only: the SHA-256 of the session token, and when they expire. */
  SessionTokenHash?: string;
  Expiration?: string;
  /** Temporary credentials issued to a managed node speak only for that node. */
  NodeId?: string;
  /** ... and are a session of the node's IAM role (its assumed-role ARN names the caller). */
  NodeRole?: string;
  /** Epoch seconds for DynamoDB's TTL, on temporary credentials. */
  ExpiresAt?: number;
};
