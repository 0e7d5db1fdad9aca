/** What the scheduler needs of the store (implemented by shared/store/schedule-store.ts). */
import type { Scope } from "../../context.ts";
import type { AssociationRecord } from "../associations/records.ts";

export type DueAssociation = { scope: Scope; association: AssociationRecord };

export interface ScheduleStore {
  /**
   * Associations of every account whose next run is at or before `now`, earliest first, through
   * the next-run index (never a scan): the cost follows the number that are due. `more` when a
   * shard had more than `limit` due.
   */
  due(now: Date, limit: number): Promise<{ items: DueAssociation[]; more: boolean }>;
  /**
   * Finishes up to `limit` association deletes a crash interrupted after the head was gone
   * (shared/store/association-store.ts); returns how many.
   */
  finishInterruptedDeletes(limit: number): Promise<number>;
  /** The head as it is now (the index is eventually consistent). */
  current(scope: Scope, associationId: string): Promise<AssociationRecord | undefined>;
}
