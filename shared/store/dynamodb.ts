/**
 * The DynamoDB client for an endpoint, and the decoding of DynamoDB's conditional-write and
 * transaction failures that stores translate into domain errors. SDK errors never leave the store.
 */
import { type AttributeValue, DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { countEvent, currentTally } from "../lib/request-scope.ts";
import { retry } from "../lib/retry.ts";
import { CachingDocumentClient } from "./caching-document-client.ts";
import { leanTransport, withoutUnusedMiddleware } from "./dynamodb-transport.ts";
import { refuseOversizedItems } from "./item-size.ts";
import { answerOverlongKeyReads } from "./key-limits.ts";
import { carryEveryMapKey, unescapeMapKeys } from "./map-keys.ts";

/**
 * Client settings for a DynamoDB endpoint: DynamoDB Local on this machine takes any credentials
 * (it keys its data by them, so every process uses the same); any other endpoint, real DynamoDB
 * included, gets the default credential chain.
 */
export function dynamoDbClientConfig(endpoint: string | undefined, region: string) {
  if (!endpoint) return { region };
  const host = new URL(endpoint).hostname;
  const local = host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
  return {
    region,
    endpoint,
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  };
}

/** The low-level client for an endpoint, on the lean HTTP handler and signer (dynamodb-transport.ts). */
export const dynamoDbClient = (endpoint: string | undefined, region: string): DynamoDBClient =>
  withoutUnusedMiddleware(new DynamoDBClient({ ...dynamoDbClientConfig(endpoint, region), ...leanTransport() }));

/**
 * The document client every store expects: undefined members are dropped, not refused, and reads
 * of keys past DynamoDB's limits find nothing (key-limits.ts), and any map key a client sends is
 * stored and read back as sent (map-keys.ts).
 */
export function documentClient(endpoint: string | undefined, region: string): DynamoDBDocumentClient {
  const client = dynamoDbClient(endpoint, region);
  answerOverlongKeyReads(client);
  refuseOversizedItems(client);
  // Each command class's middleware resolved once, not on every call (caching-document-client.ts).
  const documents = new CachingDocumentClient(client, {
    // A client's map may have a member named `constructor` (compliance Details, Parameters):
    // without convertClassInstanceToMap the marshaller takes that member for the object's class
    // and refuses the object.
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  // ... and one named `__proto__`, which the marshaller loses (map-keys.ts).
  carryEveryMapKey(documents);
  tallyCalls(documents);
  return documents;
}

/** The data-plane commands that report the capacity they consumed when asked to. */
const CAPACITY_COMMANDS = new Set([
  "GetItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "QueryCommand",
  "BatchGetItemCommand",
  "BatchWriteItemCommand",
  "TransactWriteItemsCommand",
]);

/** Those of them that write (their capacity is write units; the others' is read units). */
const WRITE_COMMANDS = new Set([
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
  "TransactWriteItemsCommand",
]);

type Consumed = { CapacityUnits?: number } | undefined;

/**
 * Each call made on a request's behalf is counted in that request's tally (request-scope.ts),
 * with the capacity it consumed: every data-plane call asks for it (ReturnConsumedCapacity:
 * TOTAL, a few bytes more of the answer; BENCHMARKS.md measured no cost). Calls outside a request
 * pass untouched. Reads that batchGet joins across concurrent requests count for the one whose
 * read started the batch.
 */
function tallyCalls(documents: DynamoDBDocumentClient): void {
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = currentTally();
      if (!tally) return next(args);
      tally.dynamodbCalls += 1;
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (CAPACITY_COMMANDS.has(context.commandName ?? "") && input.ReturnConsumedCapacity === undefined) {
        input.ReturnConsumedCapacity = "TOTAL";
      }
      // A transaction that lost a race on real DynamoDB (its log line's `events.TransactionConflicts`:
      // the fleet's rollout counts them; DynamoDB Local runs transactions one at a time and never does).
      const result = await next(args).catch((error: unknown) => {
        if (isTransactionConflict(error)) countEvent("TransactionConflicts");
        throw error;
      });
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      const writes = WRITE_COMMANDS.has(context.commandName ?? "");
      for (const each of Array.isArray(consumed) ? consumed : [consumed]) {
        tally.consumedCapacity += each?.CapacityUnits ?? 0;
        if (writes) tally.writeCapacity += each?.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: "initialize", name: "requestTally" },
  );
}

export const isConditionalCheckFailed = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

/**
 * For a cancelled transaction, the index of the first item whose condition failed, with the
 * item as it was (requires `ReturnValuesOnConditionCheckFailure: ALL_OLD` on that item).
 * Returns undefined for any other failure (throttling, conflicts), which callers rethrow.
 */
export function failedCondition(
  error: unknown,
): { index: number; old: Record<string, unknown> | undefined } | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as { name?: string })?.name !== "TransactionCanceledException"
  ) {
    return undefined;
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  const index = reasons.findIndex((reason) => reason.Code === "ConditionalCheckFailed");
  if (index < 0) return undefined;
  return { index, old: unmarshalled(reasons[index]?.Item) };
}

/**
 * The item as it was when a single conditional write failed (`ReturnValuesOnConditionCheckFailure:
 * ALL_OLD`). The document client does not unmarshall items carried by errors, so we do.
 */
export function oldItemOf(error: unknown): Record<string, unknown> | undefined {
  return unmarshalled((error as { Item?: Record<string, AttributeValue> }).Item);
}

/** The item as it was at a transaction's cancelled item `index` (asked with ALL_OLD), if any. */
export function cancelledItem(error: unknown, index: number): Record<string, unknown> | undefined {
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return unmarshalled(reasons[index]?.Item);
}

// Items in a cancellation's reasons come back raw: unmarshalled here, their map keys as sent (map-keys.ts).
const unmarshalled = (item: Record<string, AttributeValue> | undefined) =>
  item ? unescapeMapKeys(unmarshall(item)) : undefined;

/** What a refused conditional write becomes: `old` is the item as it was (see conditionalPut). */
type Refusal = (old: Record<string, unknown> | undefined) => Error;

/**
 * Sends one conditional write; when its condition fails, throws what `refused` makes of the item
 * as it was (undefined when there was none, or when the write did not ask for
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`). Any other failure passes through.
 */
export const conditionalPut = (db: DynamoDBDocumentClient, input: PutCommandInput, refused: Refusal) =>
  conditionalWrite(() => db.send(new PutCommand(input)), refused);

/** conditionalPut for an update. */
export const conditionalUpdate = (db: DynamoDBDocumentClient, input: UpdateCommandInput, refused: Refusal) =>
  conditionalWrite(() => db.send(new UpdateCommand(input)), refused);

/** conditionalPut for a delete. */
export const conditionalDelete = (db: DynamoDBDocumentClient, input: DeleteCommandInput, refused: Refusal) =>
  conditionalWrite(() => db.send(new DeleteCommand(input)), refused);

async function conditionalWrite(send: () => Promise<unknown>, refused: Refusal): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    throw refused(oldItemOf(error));
  }
}

/** A transaction lost a race with another write to the same items. */
export const isTransactionConflict = (error: unknown): boolean => {
  const reasons = (error as TransactionCanceledException)?.CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === "TransactionConflict");
};

/**
 * Retries a transaction that lost a race (TransactionConflict), with the one retry policy. The
 * transaction's own conditions make a retry safe: it either applies once or fails as it should.
 * Used where unrelated requests share an item, such as the account's document counter.
 */
export function retryOnConflict<T>(run: () => Promise<T>): Promise<T> {
  return retry(run, (error) => isTransactionConflict(error) && !failedCondition(error));
}
