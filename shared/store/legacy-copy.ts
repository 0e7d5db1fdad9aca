/**
 * A legacy association's pair item (keys.ts: LegacyAssociation, one per document and node) is a
 * copy of the association's whole head: every attribute but the head's keys. It is written in
 * the same transaction as every change of the head (create and update put it whole; a status, a
 * report, a run started or joined and a change of tags apply the head's own update expression to
 * it; a delete deletes it), so it is always the head, to the attribute.
 *
 * Why: a legacy association is named by its document and node, so UpdateAssociationStatus found
 * it through the pair (its id), then the head, then the node's target in the head's current run,
 * three reads one after the other. With the copy, the pair alone says all of it (the head
 * carries the node's target, `RunTarget`), and it is read in the same BatchGetItem as the
 * document and the node: one read round trip. The write is conditioned on the head's `Revision`
 * as copied and on the target's state as copied, so a copy read before a concurrent change is
 * never acted on. A copy is at most one head in size, so it fits DynamoDB's 400 KB wherever the
 * head does (its key is longer by the document name and node id, well under the margin the
 * request size limits leave).
 *
 * This is a new product with no deployed data: a pair item written before the copy existed is
 * not supported (as association-index.ts says of its index).
 */
import type { Scope } from "../context.ts";
import type { AssociationRecord } from "../domain/associations/records.ts";
import type { TransactItem } from "./items.ts";
import { EntityType, type Key, keys } from "./keys.ts";

/** Attributes of the head that are its own keys and indexes, never copied. */
const HEAD_ONLY = new Set(["PK", "SK", "Type", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"]);

/** The pair's key, for a legacy association; undefined for any other. */
export function pairKey(
  scope: Scope,
  association: Pick<AssociationRecord, "DocumentName" | "InstanceId">,
): Key | undefined {
  return association.InstanceId
    ? keys.legacyAssociation(scope, association.DocumentName, association.InstanceId)
    : undefined;
}

/** The pair item of a head item: the head's attributes under the pair's key. */
export function pairItem(key: Key, head: Record<string, unknown>): Record<string, unknown> {
  const copy = Object.fromEntries(Object.entries(head).filter(([name]) => !HEAD_ONLY.has(name)));
  return { ...copy, ...key, Type: EntityType.LegacyAssociation };
}

/** A change of a head as its parts; `sets` and `removes` are clauses of SET and REMOVE. */
export type HeadChangeExpression = {
  sets: string[];
  removes?: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
};

/** SET and REMOVE clauses as one update expression. */
export function updateExpression(change: Pick<HeadChangeExpression, "sets" | "removes">): string {
  const removes = change.removes ?? [];
  return `SET ${change.sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`;
}

/**
 * The same change on the pair's copy, for a legacy association (none for any other): the head's
 * clauses but those of its index keys, and only the names and values they use (DynamoDB refuses
 * an expression that declares one it does not use). The head's own condition guards both; the
 * copy's only says that it exists, so a change never makes a copy out of nothing.
 */
export function pairUpdate(
  table: string,
  scope: Scope,
  association: Pick<AssociationRecord, "DocumentName" | "InstanceId">,
  change: HeadChangeExpression,
): TransactItem[] {
  const key = pairKey(scope, association);
  if (!key) return [];
  const copied = (clause: string) => !/\bGSI[12](PK|SK)\b/.test(clause);
  const sets = change.sets.filter(copied);
  const removes = (change.removes ?? []).filter(copied);
  const expression = updateExpression({ sets, removes });
  const used = new Set(expression.match(/[#:]\w+/g) ?? []);
  const names = Object.fromEntries(Object.entries(change.names).filter(([name]) => used.has(name)));
  const values = Object.fromEntries(Object.entries(change.values).filter(([name]) => used.has(name)));
  return [
    {
      Update: {
        TableName: table,
        Key: key,
        UpdateExpression: expression,
        ConditionExpression: "attribute_exists(PK)",
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      },
    },
  ];
}
