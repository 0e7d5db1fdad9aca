/** The store the compliance domain needs (implemented by shared/store/compliance-store.ts). */
import type { Scope } from "../../context.ts";
import type { ComplianceRecord } from "./records.ts";

export interface ComplianceStore {
  /** Every compliance type recorded on one resource. */
  ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ComplianceRecord[]>;
  /**
   * Replaces a compliance type's items; fails with TooManyUpdates unless nobody wrote the type
   * since `previous` was read. Readers see the old items or the new ones, never a mix.
   */
  put(scope: Scope, record: ComplianceRecord, previous: ComplianceRecord | undefined): Promise<void>;
  /**
   * Every compliance record of the account and Region, in resource order. Without `withItems`, a
   * record whose items are stored in chunks comes with no items (its Tally counts them).
   */
  all(scope: Scope, options?: { withItems?: boolean }): Promise<ComplianceRecord[]>;
}
