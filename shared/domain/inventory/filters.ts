/**
 * Inventory filters (`InventoryFilter`: Key, Values, Type) applied to entries. Equal/NotEqual and
 * BeginWith compare text; LessThan/GreaterThan compare numbers when both sides are numbers, text
 * otherwise; Exists needs only the attribute. A filter matches when any value does (NotEqual:
 * when none is equal).
 */
import type { InventoryFilter } from "@aws-sdk/client-ssm";
import type { InventoryEntry } from "./records.ts";

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== "" && b.trim() !== "" && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function entryMatches(entry: InventoryEntry, attribute: string, filter: InventoryFilter): boolean {
  const value = entry[attribute];
  const values = filter.Values ?? [];
  switch (filter.Type ?? "Equal") {
    case "Exists":
      return value !== undefined;
    case "NotEqual":
      return value !== undefined && !values.includes(value);
    case "BeginWith":
      return value !== undefined && values.some((v) => value.startsWith(v));
    case "LessThan":
      return value !== undefined && values.some((v) => compare(value, v) < 0);
    case "GreaterThan":
      return value !== undefined && values.some((v) => compare(value, v) > 0);
    default:
      return value !== undefined && values.includes(value);
  }
}
