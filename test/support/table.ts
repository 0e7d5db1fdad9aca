/**
 * A fresh table per test file in the run's DynamoDB Local, with the service's runtime built on it
 * through the composition root (as a cold start builds it) and installed for the handlers, plus
 * a raw view of the table for asserting what was (not) written.
 */
import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import type { Accounts } from "../../shared/domain/accounts/accounts.ts";
import { createRuntime, installRuntime, type RuntimeOptions, type Services } from "../../shared/runtime.ts";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";

export type TestTable = {
  name: string;
  endpoint: string;
  db: DynamoDBDocumentClient;
  /** The services the handlers of this file use. */
  services: Services;
  /** What the runtime was built from, to build a variant of it. */
  options: RuntimeOptions;
  /** Base64 of the key sealing this table's secrets (for a command run against the table). */
  credentialsKey: string;
  /** Account and key administration on this table, as `npm run admin` does it. */
  accounts: Accounts;
  /**
   * The service's state: every item but the audit trail's, which records requests (a refused
   * one too: "writes nothing" means nothing of the state), in key order.
   */
  items: () => Promise<Record<string, unknown>[]>;
  /** The audit trail's items (shared/domain/audit/). */
  auditItems: () => Promise<Record<string, unknown>[]>;
};

const isAuditItem = (item: Record<string, unknown>) => item.Type === "AuditEvent" || item.Type === "AuditRoutineCalls";

/** One credentials key for the whole test file: the handlers and the tests' Accounts share it. */
const CREDENTIALS_KEY = SecretBox.newKey();

export type TableSettings = Pick<
  RuntimeOptions,
  | "associationLimit"
  | "messagePollHoldMs"
  | "messagePollRereadMs"
  | "messageQueueEmptyTrustMs"
  | "signedHostHeader"
  | "parameterLimit"
  | "logLevel"
  | "metricsNamespace"
  | "clock"
>;

export async function freshTable(settings: TableSettings = {}): Promise<TestTable> {
  const endpoint = inject("dynamodbEndpoint");
  const name = `test-${randomUUID()}`;
  await ensureTable(dynamoDbClient(endpoint, "us-east-1"), name);
  const db = documentClient(endpoint, "us-east-1");
  const options: RuntimeOptions = {
    db,
    tableName: name,
    secretBox: SecretBox.fromBase64(CREDENTIALS_KEY),
    associationLimit: settings.associationLimit,
    messagePollHoldMs: settings.messagePollHoldMs,
    messagePollRereadMs: settings.messagePollRereadMs,
    messageQueueEmptyTrustMs: settings.messageQueueEmptyTrustMs,
    signedHostHeader: settings.signedHostHeader,
    parameterLimit: settings.parameterLimit,
    logLevel: settings.logLevel,
    metricsNamespace: settings.metricsNamespace,
    clock: settings.clock,
  };
  const services = createRuntime(options);
  installRuntime(services);
  const accounts = await services.accounts();
  // The local default: account 000000000000 with access key test / secret test.
  await accounts.ensureDefaults();
  return {
    name,
    endpoint,
    db,
    services,
    options,
    credentialsKey: CREDENTIALS_KEY,
    accounts,
    items: async () => (await scan(db, name)).filter((item) => !isAuditItem(item)),
    auditItems: async () => (await scan(db, name)).filter(isAuditItem),
  };
}

/** Every item of the table, in key order. */
async function scan(db: DynamoDBDocumentClient, name: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start, ConsistentRead: true }));
    all.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return all.sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
}
