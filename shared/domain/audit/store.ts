/** The audit trail's port (shared/store/audit-store.ts implements it). */
import type { AuditEventRecord, AuditRoutineRecord } from "./records.ts";

export type AuditQuery = {
  /** The earliest instant read (ISO-8601); up to now. */
  since: string;
  /** One account's, or every account's. */
  accountId?: string;
};

export interface AuditStore {
  /** Writes one event (one PutItem). */
  recordEvent(event: AuditEventRecord): Promise<void>;
  /** Writes counts of routine calls (one BatchWriteItem per 25). */
  recordRoutine(counts: AuditRoutineRecord[]): Promise<void>;
  /** Every event and count since `since`, oldest first. */
  read(query: AuditQuery, now: Date): Promise<{ events: AuditEventRecord[]; routine: AuditRoutineRecord[] }>;
}
