/**
 * A node's associations at a glance, as DescribeInstanceInformation shows them, from the status
 * the node last reported for each association. AWS's published output (describe-instance-
 * information, AWS CLI examples) for a node whose two associations succeeded:
 *   "AssociationStatus": "Success", "LastAssociationExecutionDate": ..., "LastSuccessfulAssociationExecutionDate": ...,
 *   "AssociationOverview": { "DetailedStatus": "Success", "InstanceAssociationStatusAggregatedCount": { "Success": 2 } }
 */
import type { InstanceInformation } from "@aws-sdk/client-ssm";

export type ReportedStatus = { Status: string; ExecutionDate: string; LastSuccessfulExecutionDate?: string };

export type AssociationSummary = Pick<
  InstanceInformation,
  | "AssociationStatus"
  | "LastAssociationExecutionDate"
  | "LastSuccessfulAssociationExecutionDate"
  | "AssociationOverview"
>;

/**
 * Failed if any association failed (or timed out), Pending while any is pending or running or
 * was skipped (its run left the node out: it has yet to be applied), else Success.
 */
export function associationSummary(statuses: readonly ReportedStatus[]): AssociationSummary {
  if (statuses.length === 0) return {};
  const counts: Record<string, number> = {};
  for (const { Status } of statuses) counts[Status] = (counts[Status] ?? 0) + 1;
  const status =
    counts.Failed || counts.TimedOut
      ? "Failed"
      : counts.Pending || counts.InProgress || counts.Skipped
        ? "Pending"
        : "Success";
  const latest = (dates: (string | undefined)[]) => {
    const times = dates.filter((d): d is string => Boolean(d)).map((d) => Date.parse(d));
    return times.length > 0 ? new Date(Math.max(...times)) : undefined;
  };
  return {
    AssociationStatus: status,
    LastAssociationExecutionDate: latest(statuses.map((s) => s.ExecutionDate)),
    LastSuccessfulAssociationExecutionDate: latest(
      statuses.map((s) => s.LastSuccessfulExecutionDate ?? (s.Status === "Success" ? s.ExecutionDate : undefined)),
    ),
    AssociationOverview: { DetailedStatus: status, InstanceAssociationStatusAggregatedCount: counts },
  };
}
