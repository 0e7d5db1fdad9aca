/**
 * DynamoDB Local killed (`kill -9`) and restarted twice in the middle of a mixed write load,
 * the server left running (./faults.ts). `npm run test:reliability` (FUZZ_RUNS set) runs 300
 * acknowledged writes between faults with 6 workers; FAULTS=1 a short load of 25 with 3.
 */
import { describe, expect, it } from "vitest";
import { runFaultLoad } from "./faults.ts";

const full = Number(process.env.FUZZ_RUNS ?? 0) > 1000;

// Three starts of DynamoDB Local's JVM take most of a minute on a busy machine: this runs in
// `npm run test:reliability` (and with FAULTS=1); `npm test` keeps the deterministic crash tests
// (test/associations/delete-crash.test.ts, test/documents/delete-crash.test.ts,
// test/compliance/large-uploads.test.ts), which fail a chosen DynamoDB call instead.
describe.runIf(full || process.env.FAULTS === "1")("faults: DynamoDB killed and restarted under a write load", () => {
  it(
    "every answer is 200, an expected 4xx or InternalServerError JSON; acknowledged writes are there; the audit is clean",
    async () => {
      const report = await runFaultLoad(
        full
          ? { writesBetweenFaults: 300, workers: 6, kills: 2, downMs: 3_000, seed: 15 }
          : { writesBetweenFaults: 25, workers: 3, kills: 2, downMs: 300, seed: 15 },
      );
      const { audit, ...figures } = report;
      console.log(
        `faults: ${JSON.stringify({ ...figures, violations: audit.violations.length, unreachable: audit.unreachable.length, items: audit.items })}`,
      );
      expect(report.faultsInjected).toBe(2);
      expect(report.badAnswers).toEqual([]);
      // A busy machine may reset a reused connection to the local server now and then; never many.
      expect(report.transportErrors.length).toBeLessThan(5);
      // Every acknowledged write readable, every acknowledged delete gone. A create never
      // answered 200 may land after the harness looked for it (the unknown outcome of an
      // unanswered request, on AWS too): printed above as unacknowledgedLanded, not a loss. A
      // write DynamoDB Local acknowledged in the moment before its kill and then lost is its own
      // durability (./dynamodb-local-durability.test.ts): printed as lostAtKill, not ours.
      expect(report.lost).toEqual([]);
      expect(audit.violations).toEqual([]);
      // The outages were real: some requests met them, and many writes were acknowledged anyway.
      expect(report.internalErrors).toBeGreaterThan(0);
      expect(Object.values(report.acknowledged).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(75);
    },
    full ? 600_000 : 180_000,
  );
});
