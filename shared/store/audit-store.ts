/**
 * The audit trail in the table (keys.ts: an account's partition per day, every account's by day
 * through GSI1). Writes are unconditional: each item is new (its request id, or a fresh id).
 */
import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEventRecord, AuditRoutineRecord } from "../domain/audit/records.ts";
import type { AuditQuery, AuditStore } from "../domain/audit/store.ts";
import { plain, queryPages, TableStore } from "./items.ts";
import { EntityType, GSI1, keys } from "./keys.ts";

/** At most this many days are read (the trail keeps 90). */
const MAX_DAYS = 92;

/** The UTC days from `since` to `now`, oldest first. */
function daysBetween(since: string, now: Date): string[] {
  const days: string[] = [];
  const day = new Date(`${since.slice(0, 10)}T00:00:00.000Z`);
  while (day.getTime() <= now.getTime() && days.length < MAX_DAYS) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

export class DynamoAuditStore extends TableStore implements AuditStore {
  async recordEvent(event: AuditEventRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.auditEvent(event.AccountId, event.Time, event.RequestId),
          ...keys.auditEventListing(event.AccountId, event.Time, event.RequestId),
          Type: EntityType.AuditEvent,
          ...event,
        },
      }),
    );
  }

  async recordRoutine(counts: AuditRoutineRecord[]): Promise<void> {
    for (let i = 0; i < counts.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = counts.slice(i, i + 25).map((record) => ({
        PutRequest: {
          Item: {
            ...keys.auditRoutineCalls(record.AccountId, record.Time, record.Id),
            ...keys.auditRoutineCallsListing(record.AccountId, record.Time, record.Id),
            Type: EntityType.AuditRoutineCalls,
            ...record,
          },
        },
      }));
      while (requests && requests.length > 0) {
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }

  async read(query: AuditQuery, now: Date) {
    const events: AuditEventRecord[] = [];
    const routine: AuditRoutineRecord[] = [];
    for (const day of daysBetween(query.since, now)) {
      const pages = query.accountId
        ? queryPages(this.db, {
            TableName: this.table,
            KeyConditionExpression: "PK = :pk AND SK >= :since",
            ExpressionAttributeValues: { ":pk": keys.auditPartition(query.accountId, day), ":since": query.since },
          })
        : queryPages(this.db, {
            TableName: this.table,
            IndexName: GSI1,
            KeyConditionExpression: "GSI1PK = :pk AND GSI1SK >= :since",
            ExpressionAttributeValues: { ":pk": keys.auditListingPartition(day), ":since": query.since },
          });
      for await (const page of pages) {
        for (const item of page) {
          if (item.Type === EntityType.AuditEvent) events.push(plain<AuditEventRecord>(item));
          else if (item.Type === EntityType.AuditRoutineCalls) routine.push(plain<AuditRoutineRecord>(item));
        }
      }
    }
    return { events, routine };
  }
}
