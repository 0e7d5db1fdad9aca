/**
 * Compliance severities: their order (worst first) and the SeveritySummary field each one is
 * counted in. Used by both the per-resource summaries (compliance.ts) and the per-type totals
 * (summaries.ts), so the two always count the same way.
 */
import type { SeveritySummary } from "@aws-sdk/client-ssm";

export const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"];

const SEVERITY_COUNT: Record<string, keyof SeveritySummary> = {
  CRITICAL: "CriticalCount",
  HIGH: "HighCount",
  MEDIUM: "MediumCount",
  LOW: "LowCount",
  INFORMATIONAL: "InformationalCount",
  UNSPECIFIED: "UnspecifiedCount",
};

/** The field a severity is counted in; an unknown one counts as unspecified. */
export function severityField(severity: string): keyof SeveritySummary {
  return SEVERITY_COUNT[severity] ?? "UnspecifiedCount";
}

/** Every count at zero: the published output prints all of them, zeros included. */
export const zeroSeverities = (): Required<SeveritySummary> => ({
  CriticalCount: 0,
  HighCount: 0,
  MediumCount: 0,
  LowCount: 0,
  InformationalCount: 0,
  UnspecifiedCount: 0,
});
