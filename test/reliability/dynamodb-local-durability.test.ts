/**
 * The premise of the fault run's `lostAtKill` (./faults.ts): DynamoDB Local itself loses writes
 * it acknowledged just before it is killed with `kill -9`, with no server of ours in the way.
 * Rounds of 20 two-item TransactWriteItems on a persistent data folder, `kill -9` at once after
 * the last answer, restart, read back (strongly consistent). If this ever stops failing to find
 * a write, DynamoDB Local became durable at a kill, and the fault run's allowance must go.
 * Runs with the fault run (`npm run test:reliability`, or FAULTS=1): eight JVM starts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { freePort, startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";

const full = Number(process.env.FUZZ_RUNS ?? 0) > 1000;
const ROUNDS = 8;

describe.runIf(full || process.env.FAULTS === "1")("DynamoDB Local's durability at kill -9", () => {
  it("loses some of the writes it acknowledged just before the kill (a store property, not ours)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ddb-durability-"));
    const port = await freePort();
    let local = await startDynamoDbLocal({ dataDir, port, startTimeoutMs: 180_000 });
    const raw = new DynamoDBClient({
      endpoint: local.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const db = DynamoDBDocumentClient.from(raw);
    const TableName = "durability";
    await raw.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const lostPerRound: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < 20; k++) {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName, Item: { PK: `a${round}-${k}` } } },
                { Put: { TableName, Item: { PK: `b${round}-${k}` } } },
              ],
            }),
          );
        }
        await local.crash();
        local = await startDynamoDbLocal({ dataDir, port, startTimeoutMs: 180_000 });
        let lost = 0;
        for (let k = 0; k < 20; k++) {
          const { Item } = await db.send(
            new GetCommand({ TableName, Key: { PK: `a${round}-${k}` }, ConsistentRead: true }),
          );
          if (!Item) lost++;
        }
        lostPerRound.push(lost);
      }
    } finally {
      await local.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    console.log(`DynamoDB Local, acknowledged writes lost at kill -9, per round: ${JSON.stringify(lostPerRound)}`);
    expect(lostPerRound.some((lost) => lost > 0)).toBe(true);
  }, 600_000);
});
