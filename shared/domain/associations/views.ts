/** Associations as the wire shows them: records turned into the API's shapes. */
import type {
  Association,
  AssociationDescription,
  AssociationOverview,
  AssociationVersionInfo,
} from "@aws-sdk/client-ssm";
import { dateOf } from "../../lib/time.ts";
import { definitionOf } from "./definition.ts";
import type { AssociationRecord, AssociationVersionRecord } from "./records.ts";

/**
 * The overview AWS shows: as set by a create or an update until the first status arrives, then
 * rolled up from the per-status target counts that each report keeps on the association.
 */
export function overviewOf(record: AssociationRecord): AssociationOverview {
  const counts = Object.fromEntries(Object.entries(record.StatusCounts ?? {}).filter(([, count]) => count > 0));
  if (record.Overview.DetailedStatus === "Creating" || Object.keys(counts).length === 0) return record.Overview;
  const running = Boolean(counts.Pending || counts.InProgress);
  // Every target Skipped (its Change Calendars were closed): nothing was applied. The overview's
  // Status is one of Pending, Success and Failed (AssociationOverview), so Pending, with Skipped
  // as the detail.
  if (Object.keys(counts).every((status) => status === "Skipped")) {
    return { Status: "Pending", DetailedStatus: "Skipped", AssociationStatusAggregatedCount: counts };
  }
  const status = counts.Failed || counts.TimedOut ? "Failed" : running ? "Pending" : "Success";
  // While targets run, the detailed status is the last one reported (or Associated before any);
  // once none runs, the run's outcome.
  return {
    Status: status,
    DetailedStatus: running ? record.Overview.DetailedStatus : status,
    AssociationStatusAggregatedCount: counts,
  };
}

export function describe(record: AssociationRecord): AssociationDescription {
  return {
    ...definitionOf(record),
    AssociationId: record.AssociationId,
    AssociationVersion: String(record.AssociationVersion),
    Date: new Date(record.Date),
    LastUpdateAssociationDate: new Date(record.LastUpdateAssociationDate),
    Overview: overviewOf(record),
    Status: record.Status
      ? ({ ...record.Status, Date: new Date(record.Status.Date) } as AssociationDescription["Status"])
      : undefined,
    LastExecutionDate: dateOf(record.LastExecutionDate),
    LastSuccessfulExecutionDate: dateOf(record.LastSuccessfulExecutionDate),
    TargetMaps: record.TargetMaps,
  };
}

export function listed(record: AssociationRecord): Association {
  return {
    Name: record.Name,
    InstanceId: record.InstanceId,
    AssociationId: record.AssociationId,
    AssociationVersion: String(record.AssociationVersion),
    DocumentVersion: record.DocumentVersion,
    Targets: record.Targets,
    LastExecutionDate: dateOf(record.LastExecutionDate),
    Overview: overviewOf(record),
    ScheduleExpression: record.ScheduleExpression,
    AssociationName: record.AssociationName,
    ScheduleOffset: record.ScheduleOffset,
    Duration: record.Duration,
    TargetMaps: record.TargetMaps,
  };
}

export function versionInfo(version: AssociationVersionRecord): AssociationVersionInfo {
  const {
    InstanceId: _legacy,
    AutomationTargetParameterName: _a,
    AlarmConfiguration: _b,
    ...fields
  } = definitionOf(version);
  return {
    ...fields,
    AssociationId: version.AssociationId,
    AssociationVersion: String(version.AssociationVersion),
    CreatedDate: new Date(version.CreatedDate),
  };
}
