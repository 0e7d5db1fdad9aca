/**
 * `npm run fleet`'s figures for the cost model (issue 30), read from its results file when it is
 * there: per node per hour, by operation, the requests and the read and write units the server's
 * request log counted (`perNodeHour.byOperation.<operation>.{requests, readCapacityUnits,
 * writeCapacityUnits}`, bench/fleet.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import type { FleetFigures } from "./cost.ts";

type ByOperation = Record<string, { requests?: unknown; readCapacityUnits?: unknown; writeCapacityUnits?: unknown }>;

const numberOr = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

export function fleetFigures(file: string): FleetFigures | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { perNodeHour?: { byOperation?: ByOperation } };
  const figures: FleetFigures = {};
  for (const [operation, entry] of Object.entries(parsed.perNodeHour?.byOperation ?? {})) {
    const requests = numberOr(entry.requests);
    if (requests === undefined) continue;
    const readUnits = numberOr(entry.readCapacityUnits);
    const writeUnits = numberOr(entry.writeCapacityUnits);
    figures[operation] = {
      requests,
      ...(readUnits === undefined ? {} : { readUnits }),
      ...(writeUnits === undefined ? {} : { writeUnits }),
    };
  }
  return Object.keys(figures).length > 0 ? figures : undefined;
}
