/**
 * ListComplianceSummaries: per compliance type, how many resources are compliant and how many are
 * not, each split by severity. Built from the per-resource summaries (ListResourceComplianceSummaries'
 * rows), so both operations agree: a resource counts once per type, under its OverallSeverity.
 * The published output (awscli/examples/ssm/list-compliance-summaries.rst) prints every severity
 * count, zeros included, and lists the types in name order (Association, Patch, ...).
 */
import type { ComplianceSummaryItem, ResourceComplianceSummaryItem, SeveritySummary } from "@aws-sdk/client-ssm";
import { severityField, zeroSeverities } from "./severities.ts";

export function complianceSummaries(resources: ResourceComplianceSummaryItem[]): ComplianceSummaryItem[] {
  const byType = new Map<string, ComplianceSummaryItem>();
  for (const resource of resources) {
    const type = resource.ComplianceType as string;
    let summary = byType.get(type);
    if (!summary) {
      summary = {
        ComplianceType: type,
        CompliantSummary: { CompliantCount: 0, SeveritySummary: zeroSeverities() },
        NonCompliantSummary: { NonCompliantCount: 0, SeveritySummary: zeroSeverities() },
      };
      byType.set(type, summary);
    }
    const field = severityField(resource.OverallSeverity ?? "UNSPECIFIED");
    const side =
      resource.Status === "NON_COMPLIANT"
        ? bump(summary.NonCompliantSummary as { NonCompliantCount: number }, "NonCompliantCount")
        : bump(summary.CompliantSummary as { CompliantCount: number }, "CompliantCount");
    const severities = side.SeveritySummary as Required<SeveritySummary>;
    severities[field] += 1;
  }
  return [...byType.values()].sort((a, b) => ((a.ComplianceType ?? "") < (b.ComplianceType ?? "") ? -1 : 1));
}

function bump<T extends Record<K, number>, K extends string>(
  side: T,
  count: K,
): T & { SeveritySummary?: SeveritySummary } {
  side[count] = (side[count] + 1) as T[K];
  return side;
}
