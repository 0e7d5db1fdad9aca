/** The store the compliance domain needs (implemented by shared/store/compliance-store.ts). */
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type { ComplianceRecord } from "./records.ts";

export interface ComplianceStore {
  /** Every compliance type recorded on one resource. */
  ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ComplianceRecord[]>;
  /** Fails with TooManyUpdates unless nobody wrote the type since `previous` was read. */
  put(scope: Scope, record: ComplianceRecord, previous: ComplianceRecord | undefined): Promise<void>;
  /** A page of the account's compliance records, in resource order. */
  page(scope: Scope, after: string | undefined, limit: number): Promise<Page<ComplianceRecord>>;
}
