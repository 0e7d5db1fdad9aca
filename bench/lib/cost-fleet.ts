/**
 * `npm run fleet`'s figures for the cost model (issue 30): requests per node per hour by
 * operation, read from its results file (`perNodeHour.requests`) when it is there.
 */
import { existsSync, readFileSync } from "node:fs";
import type { FleetRequests } from "./cost.ts";

export function fleetRequests(file: string): FleetRequests | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { perNodeHour?: { requests?: unknown } };
  const requests = parsed.perNodeHour?.requests;
  if (!requests || typeof requests !== "object") return undefined;
  const counts = Object.entries(requests).filter((entry): entry is [string, number] => typeof entry[1] === "number");
  return counts.length > 0 ? Object.fromEntries(counts) : undefined;
}
