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

/** A document as a request names it: its plain name and the account that owns it. */
export type DocumentReference = { name: string; ownerAccountId: string };

/**
 * The document behind a name or ARN (`arn:aws:ssm:<region>:<account>:document/<name>`). A plain
 * name, or an ARN without an account or with the caller's, is the caller's own (or AWS's); an
 * ARN of another account names a document shared with the caller ("For SSM documents that are
 * shared with you from other Amazon Web Services accounts, you must specify the complete SSM
 * document ARN", CreateAssociation.Name). Sharing is within one Region, so an ARN of another
 * Region names nothing.
 */
export function documentReference(nameOrArn: string, scope: Scope): DocumentReference {
  if (!nameOrArn.startsWith("arn:")) return { name: nameOrArn, ownerAccountId: scope.accountId };
  const match = nameOrArn.match(/^arn:[\w-]+:ssm:([\w-]*):(\d{12})?:document\/([a-zA-Z0-9_\-.]{3,128})$/);
  const name = match?.[3];
  if (!match || !name) throw documentNotFound(nameOrArn);
  const [, region, account] = match;
  if (region && region !== scope.region) throw documentNotFound(nameOrArn);
  return { name, ownerAccountId: account || scope.accountId };
}

/** The plain name behind a name or ARN of the caller's own (or AWS's) document. */
export function resolveDocumentName(nameOrArn: string, scope: Scope): string {
  const reference = documentReference(nameOrArn, scope);
  if (reference.ownerAccountId !== scope.accountId) throw documentNotFound(nameOrArn);
  return reference.name;
}
