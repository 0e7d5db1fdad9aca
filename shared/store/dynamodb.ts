/**
 * The DynamoDB client, built once from configuration, and the translation of DynamoDB's
 * conditional-write failures into domain errors. SDK errors never leave the store.
 */
import { type AttributeValue, DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { config } from "../config.ts";
import { answerOverlongKeyReads } from "./key-limits.ts";

let shared: DynamoDBDocumentClient | undefined;

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

/** The process-wide document client; a Lambda reuses it across invocations. */
export function documentClient(): DynamoDBDocumentClient {
  if (!shared) {
    const { dynamodbEndpoint, tableRegion } = config();
    const client = new DynamoDBClient(dynamoDbClientConfig(dynamodbEndpoint, tableRegion));
    answerOverlongKeyReads(client);
    shared = DynamoDBDocumentClient.from(client, {
      // A client's map may have a member named `constructor` (compliance Details, Parameters):
      // without convertClassInstanceToMap the marshaller takes that member for the object's class
      // and refuses the object.
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
  }
  return shared;
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
  return { index, old: plain(reasons[index]?.Item) };
}

/**
 * The item as it was when a single conditional write failed (`ReturnValuesOnConditionCheckFailure:
 * ALL_OLD`). The document client does not unmarshall items carried by errors, so we do.
 */
export function oldItemOf(error: unknown): Record<string, unknown> | undefined {
  return plain((error as { Item?: Record<string, AttributeValue> }).Item);
}

const plain = (item: Record<string, AttributeValue> | undefined) => (item ? unmarshall(item) : undefined);

/** A transaction lost a race with another write to the same items. */
export const isTransactionConflict = (error: unknown): boolean => {
  const reasons = (error as TransactionCanceledException)?.CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === "TransactionConflict");
};

/**
 * Retries a transaction that lost a race (TransactionConflict) a few times with jitter. The
 * transaction's own conditions make a retry safe: it either applies once or fails as it should.
 * Used where unrelated requests share an item, such as the account's document counter.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isTransactionConflict(error) || failedCondition(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
