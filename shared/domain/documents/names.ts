/**
 * Document names as callers give them: a plain name or an ARN, and the prefixes AWS reserves.
 */

import type { Scope } from "../../context.ts";
import { ValidationException } from "../../errors.ts";
import { documentNotFound } from "./errors.ts";

/** Names AWS keeps for its own documents (compared without regard to case). */
const RESERVED_PREFIXES = ["aws-", "amazon", "amzn", "awsec2", "awsconfigremediation", "awssupport"];

export function assertNameNotReserved(name: string): void {
  const lower = name.toLowerCase();
  if (RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    throw new ValidationException(`Invalid document name ${name}`);
  }
}

/**
 * The plain name behind a name or ARN (`arn:aws:ssm:<region>:<account>:document/<name>`).
 * An ARN of another account names a shared document, which this service does not hold.
 */
export function resolveDocumentName(nameOrArn: string, scope: Scope): string {
  if (!nameOrArn.startsWith("arn:")) return nameOrArn;
  const match = nameOrArn.match(/^arn:[\w-]+:ssm:([\w-]*):(\d{12})?:document\/([a-zA-Z0-9_\-.]{3,128})$/);
  const name = match?.[3];
  if (!match || !name) throw documentNotFound(nameOrArn);
  const account = match[2];
  if (account && account !== scope.accountId) throw documentNotFound(nameOrArn);
  return name;
}
