/**
 * A fresh table per test file in the run's DynamoDB Local, wired into the handlers' environment
 * before their first use, plus a raw view of the table for asserting what was (not) written.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { ensureTable } from "../../infra/table/ensure-table.ts";

export type TestTable = {
  name: string;
  endpoint: string;
  db: DynamoDBDocumentClient;
  items: () => Promise<Record<string, unknown>[]>;
};

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
  const db = DynamoDBDocumentClient.from(client);
  return {
    name,
    endpoint,
    db,
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
