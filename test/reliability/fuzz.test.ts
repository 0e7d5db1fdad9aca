/**
 * Model-driven fuzzing of every operation (see harness.ts). `npm test` runs a seeded slice that
 * fits CI's time; `npm run test:reliability` runs FUZZ_RUNS (>= 10,000) requests and prints the
 * figures RELIABILITY.md reports.
 */
import { expect, it } from "vitest";
import { fuzz, OPERATIONS } from "./harness.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_615);
/** FUZZ_OPERATIONS=A,B focuses a run on some operations (a new operation, say). */
const FOCUS = process.env.FUZZ_OPERATIONS?.split(",").filter((name) => OPERATIONS.includes(name));
const TARGETS = FOCUS?.length ? FOCUS : OPERATIONS;

it(
  `${RUNS} generated requests over ${TARGETS.length === OPERATIONS.length ? "all " : ""}${TARGETS.length} operations: no 5xx, only listed errors, refusals write nothing, answers hold model members only`,
  async () => {
    const stats = await fuzz({ count: RUNS, seed: SEED, epochSize: 200, operations: TARGETS });
    console.log(
      JSON.stringify({
        seed: SEED,
        requests: stats.requests,
        byStatus: stats.byStatus,
        byOperation: stats.byOperation,
        violations: stats.violations.length,
        ms: Object.fromEntries(Object.entries(stats.ms).map(([phase, ms]) => [phase, Math.round(ms)])),
        slow: stats.slow,
      }),
    );
    for (const violation of stats.violations.slice(0, 40)) console.log(JSON.stringify(violation));
    expect(stats.requests).toBeGreaterThan(RUNS * 0.9);
    // Every operation was exercised (main's later ones included), not just most of them.
    expect(TARGETS.filter((operation) => !stats.byOperation[operation])).toEqual([]);
    expect(stats.violations).toEqual([]);
  },
  Math.max(120_000, RUNS * 500),
);
