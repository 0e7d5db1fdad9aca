/**
 * The scheduler's reads: due associations through GSI2 (keys.ts), one query per shard, only the
 * entries at or before now; and a head read again, strongly consistent.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { AssociationRecord } from "../domain/associations/records.ts";
import type { DueAssociation, ScheduleStore } from "../domain/scheduler/store.ts";
import { DynamoAssociationStore } from "./association-store.ts";
import { plain, TableStore } from "./items.ts";
import { GSI2, keys } from "./keys.ts";

export class DynamoScheduleStore extends TableStore implements ScheduleStore {
  async due(now: Date, limit: number): Promise<{ items: DueAssociation[]; more: boolean }> {
    const pages = await Promise.all(
      keys.schedulePartitions().map((partition) =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: GSI2,
            KeyConditionExpression: "GSI2PK = :shard AND GSI2SK <= :now",
            ExpressionAttributeValues: { ":shard": partition, ":now": keys.scheduleDueBound(now.toISOString()) },
            Limit: limit,
          }),
        ),
      ),
    );
    const items = pages
      .flatMap((page) => page.Items ?? [])
      .map((item) => ({
        scope: keys.scheduleEntryOf(item.GSI2SK as string).scope,
        association: plain<AssociationRecord>(item),
      }))
      .sort((a, b) => (a.association.NextRunAt ?? "").localeCompare(b.association.NextRunAt ?? ""));
    return { items, more: pages.some((page) => page.LastEvaluatedKey !== undefined) };
  }

  finishInterruptedDeletes(limit: number): Promise<number> {
    return new DynamoAssociationStore(this.db, this.table).finishInterruptedDeletes(limit);
  }

  current(scope: Scope, associationId: string): Promise<AssociationRecord | undefined> {
    return this.record<AssociationRecord>(keys.association(scope, associationId));
  }
}
