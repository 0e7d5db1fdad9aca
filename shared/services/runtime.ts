/**
 * The process's runtime: the options it was built from (an injected DynamoDB client and table
 * name, the sealing key, limits) and each store or service built so far, once. A store or
 * service is a `Part` (a plain function in `shared/services/<area>.ts`) built on first use, so a
 * function's bundle carries and builds only the parts its operation reaches: esbuild keeps what is
 * imported, and the handler imports only its operation's part.
 *
 * `runtime()` is the one a deployed function builds from its environment at its first request;
 * tests, the local server and the admin command build theirs (`createRuntime` in shared/runtime.ts)
 * and `installRuntime` it.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { loadCredentialsKey } from "../auth/credentials-key.ts";
import type { SecretBox } from "../auth/secret-box.ts";
import { type Config, config } from "../config.ts";
import type { LogLevel } from "../lib/request-log.ts";
import { documentClient } from "../store/dynamodb.ts";

export type RuntimeOptions = {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** The key that seals stored secrets, or how to load it on first use (a Secrets Manager read). */
  secretBox: SecretBox | (() => Promise<SecretBox>);
  /** Active associations per account and Region; AWS's quota unless lowered (for tests). */
  associationLimit?: number;
  /** Standard-tier parameters per account and Region; AWS's quota unless lowered (for tests). */
  parameterLimit?: number;
  /** The header holding the host the client signed (see shared/config.ts). */
  signedHostHeader?: string;
  /** The time runs and schedules are computed at; a fake clock in tests. */
  clock?: () => Date;
  /** How long GetMessages holds an empty poll open, in milliseconds; 0 (the default) answers at once. */
  messagePollHoldMs?: number;
  /**
   * How often a held poll reads its queue again, in milliseconds (mailbox.ts): every second unless
   * set, since deployed every sender is another process; `npm start` hears every sender through
   * the in-process signal and sets the hold itself (a read at each poll only).
   */
  messagePollRereadMs?: number;
  /**
   * Called when a create hands its first run to the scheduler (too big for the request:
   * associations/runs.ts `tooBigForRequest`); `npm start` ticks at once. Deployed, nothing: the next
   * minute's tick starts it.
   */
  runDeferred?: () => void;
  /**
   * How long a node's queue this process read empty, with nothing sent to it here since, is
   * trusted empty without reading it (mailbox.ts); 0 (the default, deployed: senders are other
   * processes) never. `npm start`, where every sender is in its own process, sets it.
   */
  messageQueueEmptyTrustMs?: number;
  /** Which lines a request writes (shared/config.ts); `warn` (only failures) unless set. */
  logLevel?: LogLevel;
  /** The CloudWatch namespace of the metrics each request line carries; none unless set. */
  metricsNamespace?: string | undefined;
};

/**
 * A store or service of the runtime, built from it (and from other parts through `runtime.get`).
 * An async part (one that needs the sealing key) returns a promise; a rejected one is forgotten,
 * so the next request tries again.
 */
export type Part<T> = (runtime: Runtime) => T;

export class Runtime {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly signedHostHeader: string;
  readonly logLevel: LogLevel;
  readonly #built = new Map<Part<unknown>, unknown>();

  constructor(readonly options: RuntimeOptions) {
    this.db = options.db;
    this.tableName = options.tableName;
    this.signedHostHeader = (options.signedHostHeader ?? "host").toLowerCase();
    this.logLevel = options.logLevel ?? "warn";
  }

  /** The part, built on first use; the same instance for every later call on this runtime. */
  get<T>(part: Part<T>): T {
    if (this.#built.has(part)) return this.#built.get(part) as T;
    const value = part(this);
    this.#built.set(part, value);
    if (value instanceof Promise) {
      value.catch(() => {
        if (this.#built.get(part) === value) this.#built.delete(part);
      });
    }
    return value;
  }

  /** The key that seals stored secrets (loaded once; a failed load is retried by the next caller). */
  box(): Promise<SecretBox> {
    return this.get(secretBox);
  }
}

async function secretBox(runtime: Runtime): Promise<SecretBox> {
  const { secretBox } = runtime.options;
  return typeof secretBox === "function" ? secretBox() : secretBox;
}

/** The options a deployed function (or `npm start`) builds its runtime from: its environment. */
export function runtimeOptionsFrom(settings: Config): RuntimeOptions {
  return {
    db: documentClient(settings.dynamodbEndpoint, settings.tableRegion),
    tableName: settings.tableName,
    secretBox: () => loadCredentialsKey(settings),
    associationLimit: settings.associationLimit,
    parameterLimit: settings.parameterLimit,
    signedHostHeader: settings.signedHostHeader,
    messagePollHoldMs: settings.messagePollHoldMs,
    logLevel: settings.logLevel,
    metricsNamespace: settings.metricsNamespace,
  };
}

let current: Runtime | undefined;

/** The process's runtime: the installed one, or else the one the environment describes. */
export function runtime(): Runtime {
  current ??= new Runtime(runtimeOptionsFrom(config()));
  return current;
}

/** Makes this the runtime every handler of this process uses (tests, the local server, the admin command). */
export function installRuntime(installed: Runtime | undefined): void {
  current = installed;
}
