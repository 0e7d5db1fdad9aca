/**
 * The fleet's call figures across processes (bench/lib/fleet/calls.ts, workers.ts): what each
 * process of agents records is taken from it and added to the fleet's log, and the figures are
 * those of one log that had recorded every call itself.
 */
import { describe, expect, it } from "vitest";
import { CallLog } from "../../bench/lib/fleet/calls.ts";

describe("a fleet's call log, over processes of agents", () => {
  it("adds up what each process took: latencies, errors and counts as if recorded in one log", () => {
    const calls: [string, number, string?][] = [
      ["GetMessages", 3],
      ["GetMessages", 900, "ThrottlingException"],
      ["UpdateInstanceInformation", 12],
      ["GetMessages", 7],
      ["UpdateInstanceInformation", 40, "ECONNRESET"],
      ["GetMessages", 1, "ThrottlingException"],
    ];
    const one = new CallLog();
    for (const [op, ms, error] of calls) one.record(op, ms, error);
    const first = new CallLog();
    const second = new CallLog();
    for (const [i, [op, ms, error]] of calls.entries()) (i % 2 === 0 ? first : second).record(op, ms, error);
    const fleet = new CallLog();
    fleet.add(first.take());
    fleet.add(second.take());
    expect(fleet.figures()).toEqual(one.figures());
    expect(fleet.answered).toBe(calls.length);
    expect(fleet.errorCount()).toBe(3);
    // Taken: each process starts its next phase afresh.
    expect(first.answered).toBe(0);
    expect(first.figures().all?.count).toBe(0);
  });
});
