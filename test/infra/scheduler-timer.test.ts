/**
 * `npm start`'s scheduler timer (infra/local/scheduler-timer.ts): `kick` ticks at once, for a
 * create that handed a run too big for its request to the scheduler (associations/runs.ts
 * `tooBigForRequest`); ticks never overlap, and kicks during a tick make one more tick after it.
 */
import { describe, expect, it } from "vitest";
import { startSchedulerTimer } from "../../infra/local/scheduler-timer.ts";

const HOUR = 3_600_000;

describe("the local scheduler timer's kick", () => {
  it("ticks at once, not at the interval; kicks during a tick make exactly one more tick after it, never two at once", async () => {
    let ticks = 0;
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const tick = async () => {
      ticks++;
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      running--;
      return { started: 0 };
    };
    const timer = startSchedulerTimer(tick, { enabled: true, intervalMs: HOUR });
    try {
      timer.kick();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ticks).toBe(1);
      timer.kick();
      timer.kick();
      release();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ticks).toBe(2);
      release();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ticks).toBe(2);
      expect(most).toBe(1);
    } finally {
      timer.stop();
    }
  });

  it("with the timer off (SCHEDULER=off, as the bench runs npm start) a kick still ticks: the create's run is nobody else's to write", async () => {
    let ticks = 0;
    const timer = startSchedulerTimer(
      async () => {
        ticks++;
        return { started: 0 };
      },
      { enabled: false, intervalMs: 1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toBe(0);
    timer.kick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ticks).toBe(1);
    timer.stop();
  });
});
