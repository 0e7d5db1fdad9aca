/** The store the compliance domain needs (implemented by shared/store/compliance-store.ts). */
import type { Scope } from "../../context.ts";
import type { ComplianceRecord } from "./records.ts";

/**
 * The compliance types of one resource as read, plus what the store noted of that read for a
 * later `put` (what an interrupted upload left that no read reaches); opaque to the domain,
 * which hands it back.
 */
export type ResourceCompliance = ComplianceRecord[] & { readonly leftovers?: unknown };

export interface ComplianceStore {
  /** Every compliance type recorded on one resource. */
  ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ResourceCompliance>;
  /**
   * Replaces a compliance type's items; fails with TooManyUpdates unless nobody wrote the type
   * since `previous` was read. Readers see the old items or the new ones, never a mix. Given the
   * read `previous` came from, it also clears what interrupted uploads of the type left there.
   */
  put(
    scope: Scope,
    record: ComplianceRecord,
    previous: ComplianceRecord | undefined,
    read?: ResourceCompliance,
  ): Promise<void>;
  /**
   * Every compliance record of the account and Region, in resource order. Without `withItems`, a
   * record whose items are stored in chunks comes with no items (its Tally counts them).
   */
  all(scope: Scope, options?: { withItems?: boolean }): Promise<ComplianceRecord[]>;
}
