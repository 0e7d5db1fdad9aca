/**
 * An association's definition: the members a create or an update sets, which every version
 * records and every view repeats.
 */
import type { AssociationDefinition, AssociationRecord, AssociationVersionRecord } from "./records.ts";

const DEFINITION_MEMBERS = [
  "Name",
  "DocumentVersion",
  "InstanceId",
  "Parameters",
  "Targets",
  "ScheduleExpression",
  "ScheduleOffset",
  "ApplyOnlyAtCronInterval",
  "AssociationName",
  "MaxConcurrency",
  "MaxErrors",
  "ComplianceSeverity",
  "SyncCompliance",
  "OutputLocation",
  "AutomationTargetParameterName",
  "CalendarNames",
  "TargetLocations",
  "TargetMaps",
  "AlarmConfiguration",
  "Duration",
  "AssociationDispatchAssumeRole",
] as const;

/** The definition members of a request, and nothing else. */
export function definitionOf(
  request: Partial<Record<(typeof DEFINITION_MEMBERS)[number], unknown>>,
): AssociationDefinition {
  const definition: Record<string, unknown> = {};
  for (const member of DEFINITION_MEMBERS) if (request[member] !== undefined) definition[member] = request[member];
  definition.ApplyOnlyAtCronInterval = request.ApplyOnlyAtCronInterval === true;
  return definition as AssociationDefinition;
}

/** Every definition member set to undefined: an update starts from nothing. */
export function clearedDefinition(): Partial<AssociationDefinition> {
  return Object.fromEntries(DEFINITION_MEMBERS.map((member) => [member, undefined]));
}

export function versionOf(record: AssociationRecord, createdDate: string): AssociationVersionRecord {
  return {
    ...definitionOf(record),
    AssociationId: record.AssociationId,
    AssociationVersion: record.AssociationVersion,
    CreatedDate: createdDate,
  };
}
