/**
 * The cost model's arithmetic (bench/lib/cost.ts), on figures small enough to work out by hand:
 * the agent's message-poll cycle, a call's billed duration, one call priced per 1,000 nodes a
 * month, a node's steady-state bytes, and AWS's advanced tier for the same fleet.
 */
import { describe, expect, it } from "vitest";
import {
  ASSUMPTIONS,
  advancedTierPerThousand,
  billedSeconds,
  type CostInputs,
  costOf,
  type Deployment,
  messagePolling,
  PRICES,
  type Step,
  type StepFigures,
  stepsPerDay,
  storedBytesPerNode,
  withFleetUnits,
} from "../../bench/lib/cost.ts";
import { notSteady } from "../../bench/lib/cost-fleet.ts";

const none: StepFigures = {
  operation: "-",
  ourMs: 0,
  roundTrips: 0,
  readUnits: 0,
  writeUnits: 0,
  logBytes: 0,
  responseBytes: 0,
};
const STEPS: Step[] = [
  "heartbeat",
  "roleToken",
  "poll",
  "pollWithRun",
  "report",
  "compliance",
  "inventory",
  "runStart",
  "messagePoll",
];

/** Inputs where only the heartbeat costs anything: one write unit, nothing else. */
const heartbeatOnly: CostInputs = {
  steps: Object.fromEntries(
    STEPS.map((step) => [step, step === "heartbeat" ? { ...none, writeUnits: 1 } : none]),
  ) as Record<Step, StepFigures>,
  stored: { nodeBytes: 0, credentialBytes: 0, runBytes: 0, auditEntryBytes: 0 },
  measuredWith: "by hand",
};

const functionUrl: Deployment = {
  name: "function URL, channel off",
  cloudFront: false,
  api: "function-url",
  memoryMb: 1769,
  channel: "off",
  runReaches: "-",
};

describe("the cost model (bench/lib/cost.ts)", () => {
  it("an agent polls the channel again 2.25 s after a fast empty answer, at once after a held one, busy for the hold", () => {
    const fast = messagePolling(0, 0.01);
    expect(fast.perDay).toBeCloseTo(86_400 / (0.01 + ASSUMPTIONS.clientRoundTripSeconds + 2.25), 6);
    expect(fast.busySeconds).toBe(0.01);
    const held = messagePolling(19, 0.01);
    expect(held.perDay).toBeCloseTo(86_400 / (19 + ASSUMPTIONS.clientRoundTripSeconds), 6);
    expect(held.busySeconds).toBe(19.01);
  });

  it("bills a call its own time scaled to the memory's share of a vCPU, its round trips and Lambda's overhead, rounded up to the ms", () => {
    const step = { ...none, ourMs: 1.2, roundTrips: 2 };
    // At a full vCPU: 1.2 + 2 × 5 + 1 = 12.2 ms, billed 13.
    expect(billedSeconds(step, ASSUMPTIONS.fullCpuMb)).toBe(0.013);
    // At a quarter of it, the own time takes four times as long: 4.8 + 10 + 1 = 15.8, billed 16.
    expect(billedSeconds(step, ASSUMPTIONS.fullCpuMb / 4)).toBe(0.016);
  });

  it("counts the agent's default cadence per node and day, and the channel's polls only when it is on", () => {
    const perDay = stepsPerDay({ inventoryRunsPerDay: 48, otherRunsPerDay: 1 }, functionUrl, 0.01);
    expect(perDay).toMatchObject({
      heartbeat: 288,
      roleToken: 48,
      poll: 144 - 49,
      pollWithRun: 49,
      report: 196,
      compliance: 49,
      inventory: 48,
      runStart: 49,
      messagePoll: 0,
    });
    const fleet = stepsPerDay({ inventoryRunsPerDay: 0, otherRunsPerDay: 0 }, functionUrl, 0.01, {
      UpdateInstanceInformation: { requests: 10 },
    });
    expect(fleet.heartbeat).toBe(240);
  });

  it("takes npm run fleet's units per request where it measured them, the rest as measured here", () => {
    const inputs = withFleetUnits(heartbeatOnly, { ListInstanceAssociations: { requests: 6, readUnits: 30 } });
    expect(inputs.steps.poll.readUnits).toBe(5);
    expect(inputs.steps.pollWithRun.readUnits).toBe(5);
    expect(inputs.steps.poll.writeUnits).toBe(0);
    expect(inputs.steps.heartbeat.writeUnits).toBe(1);
  });

  it("takes npm run fleet's rates only from a run that stands for a day: no rollout on top, an hour of agent time at least", () => {
    const run = (minutes: number, scale: number, rollout: number) => ({ settings: { minutes, scale, rollout } });
    expect(notSteady(run(60, 1, 0))).toBeUndefined();
    expect(notSteady(run(5, 20, 0))).toBeUndefined();
    expect(notSteady(run(4, 1, 0))).toMatch(/4 minutes of agent time/);
    expect(notSteady(run(240, 1, 1000))).toMatch(/rolled out a run to 1000 nodes/);
  });

  it("prices one write unit per heartbeat for 1,000 nodes over a 730-hour month", () => {
    const cost = costOf(heartbeatOnly, functionUrl, { inventoryRunsPerDay: 0, otherRunsPerDay: 0 });
    const heartbeats = 288 * (730 / 24) * 1000;
    const row = (name: string) => cost.rows.find((r) => r.component === name)?.perThousandNodes;
    expect(row("DynamoDB requests")).toBeCloseTo(heartbeats * 0.625e-6, 6);
    // Every call of the node is an invocation: 288 heartbeats, 48 renewals and 144 polls a day.
    expect(row("Lambda requests")).toBeCloseTo(((288 + 48 + 144) / 288) * heartbeats * 0.2e-6, 6);
    // No CloudFront, no API Gateway in front of a function URL.
    expect(row("CloudFront requests")).toBeUndefined();
    expect(row("API Gateway")).toBeUndefined();
    expect(cost.total).toBeCloseTo(
      cost.rows.reduce((sum, r) => sum + r.perThousandNodes, 0),
      9,
    );
    expect(cost.perNode).toBeCloseTo(cost.total / 1000, 12);
  });

  it("keeps credentials 25 hours, runs 30 days and the audit trail's entries 90 days", () => {
    const perDay = stepsPerDay({ inventoryRunsPerDay: 0, otherRunsPerDay: 1 }, functionUrl, 0.01);
    const bytes = storedBytesPerNode(
      { nodeBytes: 1000, credentialBytes: 10, runBytes: 100, auditEntryBytes: 1 },
      perDay,
    );
    // 48 credentials a day kept 25 h: 50; 1 run a day for 30 days; entries: 288 + 48 + 1 + 1 + 0 a day for 90 days.
    expect(bytes).toBe(1000 + 10 * 50 + 100 * 30 + 338 * 90);
  });

  it("puts AWS's advanced tier at $0.00695 a node-hour for 730 hours", () => {
    expect(PRICES.advancedNodeHour.usd).toBe(0.00695);
    expect(advancedTierPerThousand()).toBeCloseTo(5073.5, 6);
  });
});
