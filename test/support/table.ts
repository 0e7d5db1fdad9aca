/**
 * A fresh table per test file in the run's DynamoDB Local, wired into the handlers' environment
 * before their first use, plus a raw view of the table for asserting what was (not) written.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { Accounts } from "../../shared/domain/accounts/accounts.ts";
import { DynamoCredentialStore } from "../../shared/store/credential-store.ts";

export type TestTable = {
  name: string;
  endpoint: string;
  db: DynamoDBDocumentClient;
  /** Account and key administration on this table, as `npm run admin` does it. */
  accounts: Accounts;
  items: () => Promise<Record<string, unknown>[]>;
};

/** One credentials key for the whole test file: the handlers and the tests' Accounts share it. */
const CREDENTIALS_KEY = SecretBox.newKey();

export async function freshTable(): Promise<TestTable> {
  const endpoint = inject("dynamodbEndpoint");
  const name = `test-${randomUUID()}`;
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(client, name);
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = name;
  process.env.CREDENTIALS_KEY = CREDENTIALS_KEY;
  const db = DynamoDBDocumentClient.from(client);
  const accounts = new Accounts(new DynamoCredentialStore(db, name), SecretBox.fromBase64(CREDENTIALS_KEY));
  // The local default: account 000000000000 with access key test / secret test.
  await accounts.ensureDefaults();
  return {
    name,
    endpoint,
    db,
    accounts,
    items: async () => {
      const all: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({ TableName: name, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        all.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return all.sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
    },
  };
}
