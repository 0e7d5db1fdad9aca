/**
 * `npm run fleet`'s figures for the cost model (issue 30), read from its results file when it is
 * there: per node per hour, by operation, the requests and the read and write units the server's
 * request log counted (`perNodeHour.byOperation.<operation>.{requests, readCapacityUnits,
 * writeCapacityUnits}`, bench/fleet.ts), when its run stands for a node's steady day (`notSteady`).
 */
import { existsSync, readFileSync } from "node:fs";
import type { FleetFigures } from "./cost.ts";

type ByOperation = Record<string, { requests?: unknown; readCapacityUnits?: unknown; writeCapacityUnits?: unknown }>;

const numberOr = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/**
 * Agent time per node (minutes × scale) a fleet run must cover for its rates to stand for a day:
 * a shorter window is dominated by the start-up (every new node runs its associations at its
 * first poll: the 4-minute 1,000-node run counted 573 reports a node a day, against 196 at the
 * reference node's cadence).
 */
const STEADY_AGENT_MINUTES = 60;

type FleetResults = {
  perNodeHour?: { byOperation?: ByOperation };
  settings?: { minutes?: unknown; scale?: unknown; rollout?: unknown };
};

/** Why a fleet run's rates do not stand for a node's day, if they do not. */
export function notSteady(parsed: FleetResults): string | undefined {
  const { minutes, scale, rollout } = parsed.settings ?? {};
  if (typeof rollout === "number" && rollout > 0) return `it rolled out a run to ${rollout} nodes on top of their day`;
  const agentMinutes = (numberOr(minutes) ?? 0) * (numberOr(scale) ?? 1);
  if (agentMinutes < STEADY_AGENT_MINUTES)
    return `it covered ${agentMinutes} minutes of agent time, under ${STEADY_AGENT_MINUTES}: its start-up dominates`;
  return undefined;
}

export function fleetFigures(file: string): FleetFigures | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as FleetResults;
  const unsteady = notSteady(parsed);
  if (unsteady) {
    console.error(`cost model: ${file} left out (${unsteady})`);
    return undefined;
  }
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
