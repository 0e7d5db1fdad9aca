/**
 * Opaque NextToken values: a small JSON cursor, base64url-encoded. A token that does not decode
 * to the cursor an operation expects is `InvalidNextToken`, as AWS answers.
 */
import { InvalidNextToken } from "../errors.ts";

export function encodeToken(cursor: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export function decodeToken<T extends Record<string, string | number>>(
  token: string | undefined,
  isCursor: (value: Record<string, unknown>) => value is T,
): T | undefined {
  if (token === undefined || token === "") return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (typeof value === "object" && value !== null && isCursor(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through
  }
  throw new InvalidNextToken("The specified token isn't valid.");
}

/** A key cursor: the page resumes after this key. */
const isAfterCursor = (value: Record<string, unknown>): value is { after: string } => typeof value.after === "string";

/**
 * One page of a list already in memory and in key order, resuming after the key in the token:
 * a record added or removed between pages moves no other record to another page.
 */
export function pageAfter<T>(
  all: readonly T[],
  keyOf: (record: T) => string,
  limit: number,
  nextToken: string | undefined,
): { items: T[]; nextToken: string | undefined } {
  const cursor = decodeToken(nextToken, isAfterCursor);
  const remaining = cursor ? all.filter((record) => keyOf(record) > cursor.after) : all;
  const items = remaining.slice(0, limit);
  const last = items.at(-1);
  return { items, nextToken: remaining.length > limit && last ? encodeToken({ after: keyOf(last) }) : undefined };
}

/**
 * Refuses a token pageAfter would refuse (InvalidNextToken), before the caller does any work a
 * refused request must not do (issue 15: a refused request writes nothing).
 */
export function assertAfterToken(nextToken: string | undefined): void {
  decodeToken(nextToken, isAfterCursor);
}

/** One page of a list in memory that has no key of its own to resume after: by position. */
export function pageAt<T>(
  all: readonly T[],
  limit: number,
  nextToken: string | undefined,
): { items: T[]; nextToken: string | undefined } {
  const cursor = decodeToken(nextToken, (value): value is { offset: number } => typeof value.offset === "number");
  const offset = cursor?.offset ?? 0;
  return {
    items: all.slice(offset, offset + limit),
    nextToken: offset + limit < all.length ? encodeToken({ offset: offset + limit }) : undefined,
  };
}

/**
 * One page of the records that match a filter, from a store that pages in key order: store pages
 * are read until more than `limit` records match or the store runs out, and the next token
 * resumes after the last record returned.
 *
 * With `maxReads`, at most that many store pages are read per request (issue 30: a filter the
 * keys can't express costs a bounded read per request, not a read of the whole account): when
 * the budget runs out first, the page holds what matched so far, maybe nothing, and the token
 * resumes after the last record read, as AWS answers a filtered DescribeInstanceInformation or
 * ListCommandInvocations with fewer than MaxResults and a NextToken (aws/aws-cli#2626,
 * boto/boto3#2643). A fetch that filters on its own says where its page ended (`last`).
 */
export async function filteredPage<T>(options: {
  nextToken: string | undefined;
  limit: number;
  keyOf: (record: T) => string;
  matches: (record: T) => boolean;
  fetch: (after: string | undefined, limit: number) => Promise<{ items: T[]; more: boolean; last?: string }>;
  maxReads?: number;
}): Promise<{ items: T[]; nextToken: string | undefined }> {
  const { limit, keyOf, matches, fetch, maxReads = Number.POSITIVE_INFINITY } = options;
  const cursor = decodeToken(options.nextToken, isAfterCursor);
  const found: T[] = [];
  let after = cursor?.after;
  let more = true;
  for (let reads = 0; more && found.length <= limit && reads < maxReads; reads++) {
    // One more than the page: a full page then tells by itself that another one follows.
    const page = await fetch(after, limit + 1);
    found.push(...page.items.filter(matches));
    const last = page.items.at(-1);
    after = page.last ?? (last ? keyOf(last) : after);
    more = page.more;
  }
  const items = found.slice(0, limit);
  const last = items.at(-1);
  if (found.length > limit && last) return { items, nextToken: encodeToken({ after: keyOf(last) }) };
  // The budget ran out before the page filled: resume after the last record read.
  return { items, nextToken: more && after !== undefined ? encodeToken({ after }) : undefined };
}
