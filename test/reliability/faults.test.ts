/**
 * DynamoDB Local killed (`kill -9`) and restarted twice in the middle of a mixed write load,
 * the server left running (./faults.ts). `npm test` runs a short load; `npm run test:reliability`
 * (FUZZ_RUNS set) a longer one with more workers.
 */
import { describe, expect, it } from "vitest";
import { runFaultLoad } from "./faults.ts";

const full = Number(process.env.FUZZ_RUNS ?? 0) > 1000;

describe("faults: DynamoDB killed and restarted under a write load", () => {
  it(
    "every answer is 200, an expected 4xx or InternalServerError JSON; acknowledged writes are there; the audit is clean",
    async () => {
      const report = await runFaultLoad(
        full
          ? { durationMs: 60_000, workers: 6, kills: 2, downMs: 3_000, seed: 15 }
          : { durationMs: 12_000, workers: 3, kills: 2, downMs: 300, seed: 15 },
      );
      const { audit, ...figures } = report;
      console.log(
        `faults: ${JSON.stringify({ ...figures, violations: audit.violations.length, unreachable: audit.unreachable.length, items: audit.items })}`,
      );
      expect(report.faultsInjected).toBe(2);
      expect(report.badAnswers).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(audit.violations).toEqual([]);
      // The outages were real: some requests met them, and many writes were acknowledged anyway.
      expect(report.internalErrors).toBeGreaterThan(0);
      expect(Object.values(report.acknowledged).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    },
    full ? 600_000 : 180_000,
  );
});
