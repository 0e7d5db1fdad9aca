/**
 * The guard that keeps a document from being deleted while associations use it, both halves in
 * one place. Every association of the account's own document, and every association another
 * account made on a document shared with it, holds a reference on it (`AssociationCount`):
 * - an association's create, update or delete takes or gives back its reference in the same
 *   transaction as its own write; taking one needs the document Active;
 * - DeleteDocument's first write succeeds only at `AssociationCount = 0` and marks the document
 *   Deleting, so no association can take a reference from then on.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { AssociationRecord } from "../domain/associations/records.ts";
import { documentHasAssociations, documentNotFound, documentStillShared } from "../domain/documents/errors.ts";
import { conditionalUpdate } from "./dynamodb.ts";
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
 * The first write of a whole-document delete: marks the document Deleting, only if no
 * association holds a reference on it.
 */
export async function markDeletingIfUnreferenced(
  db: DynamoDBDocumentClient,
  table: string,
  scope: Scope,
  name: string,
): Promise<void> {
  await conditionalUpdate(
    db,
    {
      TableName: table,
      Key: keys.document(scope, name),
      UpdateExpression: "SET #status = :deleting, Revision = Revision + :one",
      // Not while shared either: "You must stop sharing a document before you can delete it"
      // (user guide, documents-ssm-sharing; InvalidDocumentOperation's documentation).
      ConditionExpression:
        "attribute_exists(PK) AND AssociationCount = :zero AND " +
        "(attribute_not_exists(ShareCount) OR ShareCount = :zero) AND " +
        "(attribute_not_exists(SharedPublicly) OR SharedPublicly = :false)",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: { ":deleting": "Deleting", ":one": 1, ":zero": 0, ":false": false },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
    (old) => {
      if (!old) return documentNotFound(name);
      if ((old.ShareCount as number | undefined) || old.SharedPublicly) return documentStillShared();
      return documentHasAssociations();
    },
  );
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
