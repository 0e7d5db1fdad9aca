/**
 * Model-driven fuzzing of every operation (see harness.ts). `npm test` runs a seeded slice that
 * fits CI's time; `npm run test:reliability` runs FUZZ_RUNS (>= 10,000) requests and prints the
 * figures RELIABILITY.md reports.
 */
import { expect, it } from "vitest";
import { fuzz, OPERATIONS } from "./harness.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_615);

it(
  `${RUNS} generated requests over all ${OPERATIONS.length} operations: no 5xx, only listed errors, refusals write nothing, answers hold model members only`,
  async () => {
    const stats = await fuzz({ count: RUNS, seed: SEED, epochSize: 200 });
    console.log(
      JSON.stringify({
        seed: SEED,
        requests: stats.requests,
        byStatus: stats.byStatus,
        violations: stats.violations.length,
        ms: Object.fromEntries(Object.entries(stats.ms).map(([phase, ms]) => [phase, Math.round(ms)])),
        slow: stats.slow,
      }),
    );
    for (const violation of stats.violations.slice(0, 40)) console.log(JSON.stringify(violation));
    expect(stats.requests).toBeGreaterThan(RUNS * 0.9);
    expect(stats.violations).toEqual([]);
  },
  Math.max(120_000, RUNS * 500),
);
