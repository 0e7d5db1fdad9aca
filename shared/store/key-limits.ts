/**
 * DynamoDB refuses a key attribute longer than 2,048 bytes (partition key) or 1,024 bytes (sort
 * key) with a ValidationException, for reads as well as writes. Client values become parts of
 * keys in many places (a tag operation's ResourceId, an association id, an instance id in a
 * filter or a target, a NextToken's cursor), and the model does not bound all of them.
 *
 * No stored item can have such a key, so a read that names one can only find nothing. This
 * middleware, on the one DynamoDB client every store uses, answers such reads (GetItem,
 * BatchGetItem, Query) as DynamoDB would answer a read of a missing item, without sending them.
 * Each operation then answers its own not-found error (`InvalidResourceId`, `InvalidInstanceId`,
 * `AssociationDoesNotExist`, ...), in this one place for every key the stores build.
 *
 * Writes are left alone: every write of a client-named key follows a read of it, or is bounded
 * by the model (see test/reliability/, which fuzzes every operation with over-long values).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys
 */
import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/** The table's key attributes (shared/store/keys.ts): partition keys, then sort keys. */
const PARTITION_KEYS = new Set(["PK", "GSI1PK"]);
const SORT_KEYS = new Set(["SK", "GSI1SK"]);

/** A key value's size, whether the document client has marshalled it yet (`{S}`) or not. */
const bytes = (value: AttributeValue | string | undefined): number => {
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  return value?.S !== undefined ? Buffer.byteLength(value.S, "utf8") : 0;
};

function fits(attribute: string, value: AttributeValue | string | undefined): boolean {
  if (PARTITION_KEYS.has(attribute)) return bytes(value) <= MAX_PARTITION_KEY_BYTES;
  if (SORT_KEYS.has(attribute)) return bytes(value) <= MAX_SORT_KEY_BYTES;
  return true;
}

/** Whether every key attribute of `key` is within DynamoDB's limits. */
export function keyFits(key: Record<string, AttributeValue | string> | undefined): boolean {
  return Object.entries(key ?? {}).every(([attribute, value]) => fits(attribute, value));
}

type QueryInput = {
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue | string>;
};

/** Whether each value a Query's key condition compares a key attribute with is within its limit. */
export function keyConditionFits(input: QueryInput): boolean {
  const expression = input.KeyConditionExpression ?? "";
  const name = (token: string) => (token.startsWith("#") ? (input.ExpressionAttributeNames?.[token] ?? token) : token);
  const comparisons = [
    ...expression.matchAll(/(#?\w+)\s*(?:=|<=|>=|<|>)\s*(:\w+)/g),
    ...expression.matchAll(/begins_with\s*\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)/g),
    ...[...expression.matchAll(/(#?\w+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)/gi)].flatMap((m) => [
      [m[0], m[1], m[2]],
      [m[0], m[1], m[3]],
    ]),
  ];
  return comparisons.every(([, attribute, placeholder]) =>
    fits(name(attribute as string), input.ExpressionAttributeValues?.[placeholder as string]),
  );
}

type Handler = (args: { input: object }) => Promise<{ output: object; response: unknown }>;

/** Answers reads of keys no item can have with an empty result, before they are sent. */
export function answerOverlongKeyReads(client: DynamoDBClient): void {
  client.middlewareStack.add(
    ((next: Handler, context: { commandName?: string }) => async (args: { input: object }) => {
      const empty = (output: object) => ({ output: { ...output, $metadata: {} }, response: {} });
      const input = args.input as Record<string, unknown>;
      switch (context.commandName) {
        case "GetItemCommand":
          if (!keyFits(input.Key as Record<string, AttributeValue>)) return empty({});
          break;
        case "QueryCommand":
          if (!keyConditionFits(input as QueryInput)) return empty({ Items: [], Count: 0, ScannedCount: 0 });
          break;
        case "BatchGetItemCommand": {
          const requests = input.RequestItems as Record<string, { Keys?: Record<string, AttributeValue>[] }>;
          const kept = Object.entries(requests)
            .map(([table, request]) => [table, { ...request, Keys: (request.Keys ?? []).filter(keyFits) }] as const)
            .filter(([, request]) => request.Keys.length > 0);
          if (kept.length === 0) {
            return empty({
              Responses: Object.fromEntries(Object.keys(requests).map((t) => [t, []])),
              UnprocessedKeys: {},
            });
          }
          args.input = { ...input, RequestItems: Object.fromEntries(kept) };
          break;
        }
      }
      return next(args);
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic over every command
    }) as any,
    { step: "serialize", priority: "high", name: "answerOverlongKeyReads" },
  );
}
