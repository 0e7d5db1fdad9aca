/**
 * The physical limit of this store on this machine: the raw DynamoDB Local call of the same
 * shape as an operation, sent with the plain SDK client (no server, no SigV4 verification, no
 * domain): a GetItem for a read, a TransactWriteItems with as many items (and about as many
 * bytes) as the operation's own transaction for a write.
 */
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import type { Environment } from "./environment.ts";
import { TABLE } from "./environment.ts";

export async function rawGetItem(env: Environment): Promise<(i: number) => Promise<unknown>> {
  const Key = { PK: { S: "BENCH#raw" }, SK: { S: "item" } };
  await env.raw.send(
    new PutItemCommand({ TableName: TABLE, Item: { ...Key, Payload: { S: "x".repeat(1500) }, Version: { N: "1" } } }),
  );
  return () => env.raw.send(new GetItemCommand({ TableName: TABLE, Key }));
}

/** A transaction of `items` conditional puts on fresh keys, `bytes` of payload in all. */
export function rawTransaction(env: Environment, items: number, bytes: number): (i: number) => Promise<unknown> {
  const payload = "x".repeat(Math.max(1, Math.floor(bytes / Math.max(items, 1)) - 60));
  const run = `${Date.now().toString(36)}-${items}`;
  let sent = 0;
  return () => {
    const i = sent++;
    return env.raw.send(
      new TransactWriteItemsCommand({
        TransactItems: Array.from({ length: items }, (_, n) => ({
          Put: {
            TableName: TABLE,
            Item: { PK: { S: `BENCH#raw#${run}#${i}` }, SK: { S: `item#${n}` }, Payload: { S: payload } },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        })),
      }),
    );
  };
}
