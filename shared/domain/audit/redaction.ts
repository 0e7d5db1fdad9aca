/**
 * What the audit trail keeps of a request's parameters and of its answer: no secret, and nothing
 * large. A SecureString's value, an activation code, a key (public or secret), a session token or
 * password are replaced by REDACTED wherever they appear; a string longer than LONG_STRING
 * characters (a document's content, an inventory's data) by its length and the start of its
 * SHA-256, enough to tell two apart; a long list by its first items and its length. What is
 * left is at most a few KB, so the audit write stays at 1 or 2 write capacity units.
 */
import { createHash } from "node:crypto";

export const REDACTED = "REDACTED";
const LONG_STRING = 256;
const MAX_ITEMS = 20;
const MAX_DEPTH = 8;
const MAX_PARAMETERS_JSON = 8 * 1024;

/** Members that are secret by name, in any operation's request or answer. */
const SECRET_MEMBERS = new Set([
  "ActivationCode",
  "PublicKey",
  "NewPublicKey",
  "PrivateKey",
  "SecretAccessKey",
  "SessionToken",
  "Password",
]);

/** A parameter's value is secret unless its type says it is plain text (an overwrite may keep a SecureString's type unsaid). */
const PLAIN_PARAMETER_TYPES = new Set(["String", "StringList"]);

function summarized(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    if (value.length <= LONG_STRING) return value;
    const hash = createHash("sha256").update(value).digest("hex").slice(0, 16);
    return `[${value.length} characters, sha256 ${hash}...]`;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => summarized(item, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `[${value.length - MAX_ITEMS} more of ${value.length}]`] : kept;
  }
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      SECRET_MEMBERS.has(key) ? REDACTED : summarized(member, depth + 1),
    ]),
  );
}

/** The parameters as kept: JSON, secrets redacted, long values summarized. */
export function keptParameters(operation: string, parameters: unknown): string {
  let kept = summarized(parameters ?? {}, 0);
  if (operation === "PutParameter" && kept && typeof kept === "object" && "Value" in kept) {
    const type = (parameters as { Type?: unknown }).Type;
    if (!PLAIN_PARAMETER_TYPES.has(String(type))) kept = { ...kept, Value: REDACTED };
  }
  const json = JSON.stringify(kept);
  return json.length <= MAX_PARAMETERS_JSON
    ? json
    : JSON.stringify({ truncated: `[${json.length} characters of parameters]` });
}

/**
 * What a success created or named, from its answer: each member whose name ends in `Id`, and
 * each version, by its path (`AssociationDescription.AssociationId`, `Successful.0.AssociationId`),
 * at most MAX_ITEMS; never a secret (ActivationCode is not an id).
 */
export function resourcesOf(output: unknown): Record<string, string | number> | undefined {
  const found: Record<string, string | number> = {};
  let count = 0;
  const visit = (value: unknown, path: string, depth: number) => {
    if (count >= MAX_ITEMS || depth > 3 || value === null || typeof value !== "object") return;
    for (const [key, member] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_MEMBERS.has(key)) continue;
      if (
        (/Id$/.test(key) && typeof member === "string") ||
        (/Version$/.test(key) && /^(string|number)$/.test(typeof member))
      ) {
        if (count++ < MAX_ITEMS) found[at] = member as string | number;
      } else visit(member, at, depth + 1);
    }
  };
  visit(output, "", 0);
  return count > 0 ? found : undefined;
}
