/**
 * The goals every figure is reported against (issue 13), and the fewest DynamoDB round trips
 * each benchmarked operation needs, as this service's design states them: read from
 * docs/dynamodb-calls.md's table (ROUND_TRIPS_HEADING), which test/call-counts/operations.test.ts
 * checks against the calls.
 */
import { readFileSync } from "node:fs";

/** The server's own time above its DynamoDB calls, p50, per operation (ms). */
export const SERVER_OVERHEAD_P50_MS = 1.5;
/** Reads: at least twice moto_server's throughput in the same run. */
export const READS_VS_MOTO = 2;
/** Writes: at least 0.8 of a raw DynamoDB Local transaction of the same item count. */
export const WRITES_VS_RAW = 0.8;
/** The node's view at 10,000 associations: p50 within 1.2 times its p50 at 100. */
export const NODE_VIEW_GROWTH = 1.2;
export const BUNDLE_BYTES = 600 * 1024;
export const IMPORT_MS = 60;
/** A rollout to 1,000 replayed nodes (issue 26): every report's p99 (ms), on this machine. */
export const ROLLOUT_REPORT_P99_MS = 250;
/** CreateAssociationBatch of 2,000 entries (issue 29): answered within API Gateway's integration timeout. */
export const BATCH_SECONDS = 29;

/** The page of the DynamoDB calls per operation (README links it), which holds the round trips' table. */
export const DYNAMODB_CALLS_PAGE = new URL("../../docs/dynamodb-calls.md", import.meta.url);

/** That page's heading of the table of round trips per benchmarked operation. */
export const ROUND_TRIPS_HEADING = "### Round trips of the benchmarked operations";

/**
 * The round trips of each benchmarked operation (a round trip: the calls in flight together), and
 * why, as the table under ROUND_TRIPS_HEADING says them (in docs/dynamodb-calls.md); test/call-counts/operations.test.ts
 * checks that table against the calls each operation makes, so neither can drift.
 */
export function roundTripsOf(page: string): Record<string, { trips: number; why: string }> {
  const start = page.indexOf(ROUND_TRIPS_HEADING);
  if (start < 0) throw new Error(`docs/dynamodb-calls.md has no "${ROUND_TRIPS_HEADING}"`);
  const rest = page.slice(start + ROUND_TRIPS_HEADING.length);
  const section = rest.slice(0, rest.search(/\n#/) < 0 ? undefined : rest.search(/\n#/));
  const table: Record<string, { trips: number; why: string }> = {};
  for (const row of section.matchAll(/^\| (\w+) \| (\d+) \| (.+) \|$/gm)) {
    table[row[1] as string] = { trips: Number(row[2]), why: (row[3] as string).trim() };
  }
  return table;
}

/** Fewest round trips per benchmarked operation, and why: docs/dynamodb-calls.md's table. */
export const MINIMUM_ROUND_TRIPS = roundTripsOf(readFileSync(DYNAMODB_CALLS_PAGE, "utf8"));

/** Run Command locally (issue 27): SendCommand to a polling replayed agent's AcknowledgeMessage, p50. */
export const COMMAND_ACK_P50_MS = 1000;

/**
 * An association run pushed over the message channel (issue 28), with a replayed agent
 * long-polling `npm start`: CreateAssociation → the node's InProgress report, p50 and p99 (ms).
 */
export const PUSH_IN_PROGRESS_P50_MS = 2000;
export const PUSH_IN_PROGRESS_P99_MS = 5000;
/** A rate-controlled pushed run (50 nodes, MaxConcurrency 5, MaxErrors 2): wall time ≤ this × the ideal wave time. */
export const PUSH_WAVES_RATIO = 1.3;
