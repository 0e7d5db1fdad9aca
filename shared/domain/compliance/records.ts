/** Compliance as the store keeps it: the items of one compliance type on one resource. */
export type ComplianceItemRecord = {
  Id?: string;
  Title?: string;
  Severity: string;
  Status: "COMPLIANT" | "NON_COMPLIANT";
  Details?: Record<string, string>;
};

export type ComplianceRecord = {
  ResourceId: string;
  ResourceType: string;
  ComplianceType: string;
  ExecutionSummary: { ExecutionTime: string; ExecutionId?: string; ExecutionType?: string };
  /** Every item (the store keeps a big list in chunks and assembles it when read). */
  Items: ComplianceItemRecord[];
  /**
   * Item counts by status and severity, computed at write time, so that the summaries read only
   * the heads (a head whose items are in chunks is listed without them). Absent on records
   * written before it existed: counted from Items then.
   */
  Tally?: ComplianceTally;
  /**
   * The ItemContentHash the upload that wrote these items sent, if any: an upload sending the same
   * hash again is ignored (PutComplianceItems' API reference). Writes without one clear it.
   */
  ItemContentHash?: string;
  /** Bumped by every write: a PARTIAL upload merges on the revision it read. */
  Revision: number;
};

export type ComplianceTally = { Compliant: Record<string, number>; NonCompliant: Record<string, number> };

/** The counts of a list of items by status and severity. */
export function tallyOf(items: readonly ComplianceItemRecord[]): ComplianceTally {
  const tally: ComplianceTally = { Compliant: {}, NonCompliant: {} };
  for (const item of items) {
    const side = item.Status === "COMPLIANT" ? tally.Compliant : tally.NonCompliant;
    side[item.Severity] = (side[item.Severity] ?? 0) + 1;
  }
  return tally;
}
