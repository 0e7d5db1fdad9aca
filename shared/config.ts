/**
 * Environment, read once on first use (a Lambda cold start, or the local server's start-up), by
 * the composition root (shared/runtime.ts) only. Tests and the admin command do not go through
 * it: they build their runtime from their own client and table.
 */
import { type LogLevel, logLevelOf } from "./lib/request-log.ts";

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
  /**
   * How long GetMessages (ec2messages) holds an empty poll open, in milliseconds. Default 0: a
   * held poll keeps one function busy per polling node (docs/runs.md, "The message channel").
   */
  readonly messagePollHoldMs: number;
  /** Standard-tier parameters allowed per account and Region: AWS's 10,000 unless PARAMETER_LIMIT lowers it (for tests). */
  readonly parameterLimit: number | undefined;
  /**
   * LOG_LEVEL: `info` (the default, deployed) writes a line per request (shared/lib/request-log.ts);
   * `warn` or `error` only failures. `npm start` defaults to `warn`, a quiet terminal.
   */
  readonly logLevel: LogLevel;
  /** METRICS_NAMESPACE: the CloudWatch namespace of the metrics each request line carries; none locally. */
  readonly metricsNamespace: string | undefined;
};

/** The agent's HTTP client gives up on GetMessages after 20 s (Mds.StopTimeoutMillis); stay under it. */
export const MAX_MESSAGE_POLL_HOLD_SECONDS = 19;

function holdMs(value: string | undefined): number {
  const seconds = Number(value ?? 0);
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.round(Math.min(seconds, MAX_MESSAGE_POLL_HOLD_SECONDS) * 1000);
}

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
    messagePollHoldMs: holdMs(process.env.MESSAGE_POLL_HOLD_SECONDS),
    parameterLimit: process.env.PARAMETER_LIMIT ? Number(process.env.PARAMETER_LIMIT) : undefined,
    logLevel: logLevelOf(process.env.LOG_LEVEL, "info"),
    metricsNamespace: process.env.METRICS_NAMESPACE || undefined,
  };
  return current;
}
