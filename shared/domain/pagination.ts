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
