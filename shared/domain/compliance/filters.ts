/**
 * Compliance string filters (`ComplianceStringFilter`: Key, Values, Type EQUAL | NOT_EQUAL |
 * BEGIN_WITH | LESS_THAN | GREATER_THAN) for ListComplianceItems, ListResourceComplianceSummaries
 * and ListComplianceSummaries. The API reference lists no keys; each operation's keys are the ones
 * AWS's examples use (see the operation's key table). A key is either text, compared as text, or
 * a time (`ExecutionTime`), compared as an instant.
 */
import type { ComplianceStringFilter } from "@aws-sdk/client-ssm";
import { InvalidFilter } from "../../errors.ts";

/** Reads a key's value from a row; `undefined` when the row has none. */
export type FilterKey<Row> = { kind: "text" | "time"; read: (row: Row) => string | undefined };

export type RowFilter<Row> = (row: Row) => boolean;

/** Builds one predicate from the request's filters (all must hold), or refuses an unknown key. */
export function complianceFilter<Row>(
  filters: ComplianceStringFilter[] | undefined,
  keys: Record<string, FilterKey<Row>>,
): RowFilter<Row> {
  const tests = (filters ?? []).map((filter) => {
    const name = filter.Key as string;
    const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
    if (!key) {
      throw new InvalidFilter(`The filter key ${name} is not valid. Valid keys: ${Object.keys(keys).join(", ")}.`);
    }
    const test = key.kind === "time" ? timeTest(name, filter) : textTest(filter);
    return (row: Row) => test(key.read(row));
  });
  return (row) => tests.every((test) => test(row));
}

function textTest(filter: ComplianceStringFilter): (value: string | undefined) => boolean {
  const values = filter.Values ?? [];
  switch (filter.Type ?? "EQUAL") {
    case "NOT_EQUAL":
      return (value) => value === undefined || !values.includes(value);
    case "BEGIN_WITH":
      return (value) => value !== undefined && values.some((v) => value.startsWith(v));
    case "LESS_THAN":
      return (value) => value !== undefined && values.some((v) => value < v);
    case "GREATER_THAN":
      return (value) => value !== undefined && values.some((v) => value > v);
    default:
      return (value) => value !== undefined && values.includes(value);
  }
}

/**
 * `ExecutionTime` compares instants: the values are ISO-8601 times as in AWS's example
 * (`Key=ExecutionTime,Values=2019-02-18T16:00:00Z,Type=GREATER_THAN`, awscli/examples/ssm/
 * list-compliance-items.rst) or epoch seconds, the wire form of a timestamp.
 */
function timeTest(name: string, filter: ComplianceStringFilter): (value: string | undefined) => boolean {
  const type = filter.Type ?? "EQUAL";
  if (type === "BEGIN_WITH") {
    throw new InvalidFilter(`The filter type BEGIN_WITH is not valid for the filter key ${name}.`);
  }
  const instants = (filter.Values ?? []).map((value) => {
    const instant = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (Number.isNaN(instant)) throw new InvalidFilter(`The filter value ${value} is not a valid time for ${name}.`);
    return instant;
  });
  return (value) => {
    if (value === undefined) return type === "NOT_EQUAL";
    const at = Date.parse(value);
    if (type === "NOT_EQUAL") return !instants.includes(at);
    if (type === "LESS_THAN") return instants.some((instant) => at < instant);
    if (type === "GREATER_THAN") return instants.some((instant) => at > instant);
    return instants.includes(at);
  };
}
