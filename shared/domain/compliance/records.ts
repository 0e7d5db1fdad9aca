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
  Items: ComplianceItemRecord[];
  /** Bumped by every write: a PARTIAL upload merges on the revision it read. */
  Revision: number;
};
