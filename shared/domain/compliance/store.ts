/** The store the compliance domain needs (implemented by shared/store/compliance-store.ts). */
import type { Scope } from "../../context.ts";
import type { ComplianceRecord } from "./records.ts";

export interface ComplianceStore {
  /** Every compliance type recorded on one resource. */
  ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ComplianceRecord[]>;
  /** Fails with TooManyUpdates unless nobody wrote the type since `previous` was read. */
  put(scope: Scope, record: ComplianceRecord, previous: ComplianceRecord | undefined): Promise<void>;
  /** Every compliance record of the account and Region, in resource order. */
  all(scope: Scope): Promise<ComplianceRecord[]>;
}
