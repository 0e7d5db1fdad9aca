/**
 * The scheduler under `npm start`: the tick the deployed stack runs from EventBridge every minute,
 * on a timer. `SCHEDULER=off` turns it off; `SCHEDULER_TICK_SECONDS` sets the interval (60). Ticks
 * never overlap; a failed tick is logged and the next one tries again. `kick` ticks now (once the
 * tick in progress, if any, ends): a create hands a run too big for its request to the scheduler
 * (associations/runs.ts `tooBigForRequest`), which need not wait for the minute. It does so with
 * the timer off too (the bench turns it off): that run is the create's own, not a scheduled one,
 * and nothing else would ever write it.
 */
export type SchedulerSettings = { enabled: boolean; intervalMs: number };

export function schedulerSettings(env: NodeJS.ProcessEnv = process.env): SchedulerSettings {
  const seconds = Number(env.SCHEDULER_TICK_SECONDS || 60);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`SCHEDULER_TICK_SECONDS must be a positive number of seconds, not ${env.SCHEDULER_TICK_SECONDS}`);
  }
  return { enabled: (env.SCHEDULER ?? "on").toLowerCase() !== "off", intervalMs: seconds * 1000 };
}

export function startSchedulerTimer(
  tick: () => Promise<{ started: number }>,
  settings: SchedulerSettings,
): { stop: () => void; kick: () => void } {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const result = await tick();
      if (result.started > 0) console.log(`scheduler: started ${result.started} association run(s)`);
    } catch (error) {
      console.error("scheduler tick failed:", error);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await run();
    }
  };
  const kick = () => void run();
  if (!settings.enabled) return { stop: () => {}, kick };
  const timer = setInterval(run, settings.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), kick };
}
