/**
 * Environment, read once on first use (a Lambda cold start, or the local server's start-up), by
 * the composition root (shared/runtime.ts) only. Tests and the admin command do not go through
 * it: they build their runtime from their own client and table.
 */
export type Config = {
  /** The single DynamoDB table holding every item. */
  readonly tableName: string;
  /** A DynamoDB endpoint to use instead of the regional one (DynamoDB Local). */
  readonly dynamodbEndpoint: string | undefined;
  /** The region of the DynamoDB table itself. */
  readonly tableRegion: string;
  /** Base64 of the 32-byte key that seals credential secrets at rest (see shared/auth/secret-box.ts). */
  readonly credentialsKey: string | undefined;
  /** Deployed: the Secrets Manager secret holding that key instead (see shared/auth/credentials-key.ts). */
  readonly credentialsKeySecretArn: string | undefined;
  readonly secretsManagerEndpoint: string | undefined;
  /**
   * The header holding the host the client signed: `host` when clients reach the function's
   * HTTP server directly, `x-ssm-viewer-host` behind the deployed edge, which rewrites Host.
   */
  readonly signedHostHeader: string;
  /** Active associations allowed per account and Region: AWS's 2,000 unless ASSOCIATION_LIMIT lowers it (for tests). */
  readonly associationLimit: number | undefined;
};

let current: Config | undefined;

export function config(): Config {
  current ??= {
    tableName: process.env.TABLE_NAME || "open-state-manager",
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableRegion: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
    credentialsKey: process.env.CREDENTIALS_KEY || undefined,
    credentialsKeySecretArn: process.env.CREDENTIALS_KEY_SECRET_ARN || undefined,
    secretsManagerEndpoint: process.env.SECRETS_MANAGER_ENDPOINT || undefined,
    signedHostHeader: (process.env.SIGNED_HOST_HEADER || "host").toLowerCase(),
    associationLimit: process.env.ASSOCIATION_LIMIT ? Number(process.env.ASSOCIATION_LIMIT) : undefined,
  };
  return current;
}
