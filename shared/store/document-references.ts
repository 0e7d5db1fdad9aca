/**
 * The guard that keeps a document from being deleted while associations use it, both halves in
 * one place. Every association of the account's own document holds a reference on it
 * (`AssociationCount`):
 * - an association's create, update or delete takes or gives back its reference in the same
 *   transaction as its own write; taking one needs the document Active;
 * - DeleteDocument's first write succeeds only at `AssociationCount = 0` and marks the document
 *   Deleting, so no association can take a reference from then on.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { documentHasAssociations, documentNotFound } from "../domain/documents/errors.ts";
import { conditionalWrite } from "./dynamodb.ts";
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
  await conditionalWrite(
    () =>
      db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.document(scope, name),
          UpdateExpression: "SET #status = :deleting, Revision = Revision + :one",
          ConditionExpression: "attribute_exists(PK) AND AssociationCount = :zero",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: { ":deleting": "Deleting", ":one": 1, ":zero": 0 },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    (old) => (old ? documentHasAssociations() : documentNotFound(name)),
  );
}
