/**
 * The guard that keeps a document from being deleted while associations use it, both halves in
 * one place. Every association of the account's own document, and every association another
 * account made on a document shared with it, holds a reference on it (`AssociationCount`):
 * - an association's create, update or delete takes or gives back its reference in the same
 *   transaction as its own write; taking one needs the document Active;
 * - DeleteDocument's write that takes the document out of use (deleting its head, or marking it
 *   Deleting) succeeds only at `AssociationCount = 0`, so no association can take a reference
 *   from then on.
 */
import type { Scope } from "../context.ts";
import type { AssociationRecord } from "../domain/associations/records.ts";
import { documentHasAssociations, documentNotFound, documentStillShared } from "../domain/documents/errors.ts";
import type { TransactItem } from "./items.ts";
import { keys } from "./keys.ts";

/** Takes a reference on a document; its condition fails unless the document is Active. */
export function takeDocumentReference(table: string, scope: Scope, documentName: string): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.document(scope, documentName),
      UpdateExpression: "SET AssociationCount = AssociationCount + :delta",
      ConditionExpression: "#status = :active",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: { ":delta": 1, ":active": "Active" },
    },
  };
}

/** Gives a reference back. */
export function releaseDocumentReference(table: string, scope: Scope, documentName: string): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.document(scope, documentName),
      UpdateExpression: "SET AssociationCount = AssociationCount + :delta",
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeValues: { ":delta": -1 },
    },
  };
}

/**
 * The guard of a whole-document delete, as the condition of the write that takes the document
 * out of use (its head's delete, or its mark Deleting for a document too big for one
 * transaction): the head is Active, still the revision whose items the delete read, no
 * association holds a reference on it, and it is shared with no account. Once that write is
 * done no association can take a reference (taking one needs the document Active).
 */
export function unreferencedGuard(revision: number) {
  return {
    // Not while shared either: "You must stop sharing a document before you can delete it"
    // (user guide, documents-ssm-sharing; InvalidDocumentOperation's documentation).
    ConditionExpression:
      "#status = :active AND Revision = :revision AND AssociationCount = :zero AND " +
      "(attribute_not_exists(ShareCount) OR ShareCount = :zero) AND " +
      "(attribute_not_exists(SharedPublicly) OR SharedPublicly = :false)",
    ExpressionAttributeNames: { "#status": "Status" },
    ExpressionAttributeValues: { ":active": "Active", ":revision": revision, ":zero": 0, ":false": false },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/**
 * Why the guard refused, from the head as it was: gone, shared, referenced, or (none of those)
 * changed since it was read, which the caller reads again and retries (undefined).
 */
export function guardRefusal(name: string, old: Record<string, unknown> | undefined): Error | undefined {
  if (!old) return documentNotFound(name);
  if (old.Status !== "Active") return undefined; // another delete got there first: read it, finish it
  if ((old.ShareCount as number | undefined) || old.SharedPublicly) return documentStillShared();
  if ((old.AssociationCount as number | undefined) !== 0) return documentHasAssociations();
  return undefined;
}

/** The document an association holds a reference on, in its owner's scope; none for AWS's. */
function referenced(scope: Scope, association: AssociationRecord) {
  if (association.DocumentOwner === "Amazon") return undefined;
  const shared = association.DocumentOwner === "Shared" && association.DocumentAccount;
  return {
    owner: shared ? { accountId: association.DocumentAccount as string, region: scope.region } : scope,
    name: association.DocumentName,
    grantee: shared ? association.DocumentShare : undefined,
  };
}

/** Identifies the document an association references: equal keys, same reference. */
export function referenceKey(scope: Scope, association: AssociationRecord): string | undefined {
  const document = referenced(scope, association);
  return document ? `${document.owner.accountId}#${document.name}` : undefined;
}

/**
 * The items that take an association's reference on its document: the count on the document
 * (Active only) and, for a document shared by another account, a check that the share the
 * association was made through still exists, so an unshare racing the create can't leave an
 * association on a document no longer shared.
 */
export function takeReferenceItems(table: string, scope: Scope, association: AssociationRecord): TransactItem[] {
  const document = referenced(scope, association);
  if (!document) return [];
  const items = [takeDocumentReference(table, document.owner, document.name)];
  if (document.grantee) {
    items.push({
      ConditionCheck: {
        TableName: table,
        Key: keys.documentShare(document.owner, document.name, document.grantee),
        ConditionExpression: "attribute_exists(PK)",
      },
    });
  }
  return items;
}

/** The item that gives an association's reference back (none for AWS's documents). */
export function releaseReferenceItems(table: string, scope: Scope, association: AssociationRecord): TransactItem[] {
  const document = referenced(scope, association);
  return document ? [releaseDocumentReference(table, document.owner, document.name)] : [];
}
