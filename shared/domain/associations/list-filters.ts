/** ListAssociations' filters (AssociationFilterList), each matched against a stored association. */
import { ValidationException } from "../../errors.ts";
import type { AssociationRecord } from "./records.ts";
import { overviewOf } from "./views.ts";

/** ListAssociations filters; InstanceId matches legacy associations only, as AWS documents. */
export function matchesFilter(record: AssociationRecord, filter: { key: string; value: string }): boolean {
  switch (filter.key) {
    case "InstanceId":
      return record.InstanceId === filter.value;
    case "Name":
      return record.DocumentName === filter.value || record.Name === filter.value;
    case "AssociationId":
      return record.AssociationId === filter.value;
    case "AssociationStatusName":
      return overviewOf(record).Status === filter.value;
    case "AssociationName":
      return record.AssociationName === filter.value;
    case "LastExecutedBefore":
      return (
        record.LastExecutionDate !== undefined && new Date(record.LastExecutionDate) < parseFilterDate(filter.value)
      );
    case "LastExecutedAfter":
      return (
        record.LastExecutionDate !== undefined && new Date(record.LastExecutionDate) > parseFilterDate(filter.value)
      );
    case "ResourceGroupName":
      return (record.Targets ?? []).some((t) => t.Key === "resource-groups:Name" && t.Values?.includes(filter.value));
    default:
      return false;
  }
}

function parseFilterDate(value: string): Date {
  const parsed = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new ValidationException(`The date ${value} is not valid.`);
  return parsed;
}
