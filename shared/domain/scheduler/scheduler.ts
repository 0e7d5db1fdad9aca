/**
 * The scheduler: each tick (every minute, from EventBridge when deployed, a timer under
 * `npm start`) starts a run of every association that is due and records its next run, and
 * settles the Run Command invocations whose delivery timeout or expiry has passed. The run
 * and the next-run time are written in one transaction conditioned on the due time the tick read,
 * so two ticks at once (or a tick retried by Lambda) start each due run exactly once.
 */
import type { Executions } from "../executions/executions.ts";
import { runAfter } from "./next-run.ts";
import type { DueAssociation, ScheduleStore } from "./store.ts";

export type TickResult = { due: number; started: number; skipped: number; swept: number; settled: number };

/** Run Command's part of a tick: commands past a deadline settle what timed out (commands/progress.ts). */
export type CommandDeadlines = { settleDue(now: Date): Promise<number> };

/** Interrupted association deletes finished per tick: bounded work, the rest next minute. */
const SWEEP = 10;

/** Due associations read per index query page. */
const PAGE = 100;

export class Scheduler {
  constructor(
    private readonly store: ScheduleStore,
    private readonly executions: Executions,
    private readonly commands?: CommandDeadlines,
  ) {}

  async tick(): Promise<TickResult> {
    const now = this.executions.clock();
    // Housekeeping first: association deletes a crash interrupted (their heads are already gone).
    const result: TickResult = {
      due: 0,
      started: 0,
      skipped: 0,
      swept: await this.store.finishInterruptedDeletes(SWEEP),
      settled: (await this.commands?.settleDue(now)) ?? 0,
    };
    // A shard with more than a page due is read again: the runs started here left the index.
    for (let round = 0; round < 1000; round++) {
      const due = await this.store.due(now, PAGE);
      result.due += due.items.length;
      let progressed = false;
      for (const entry of due.items) {
        if (await this.runDue(entry, now)) {
          result.started++;
          progressed = true;
        } else result.skipped++;
      }
      // Only entries another scheduler run is taking care of would be read again.
      if (!due.more || !progressed) break;
    }
    return result;
  }

  /** Starts the due run of one association; false if another tick (or an update) took it. */
  private async runDue({ scope, association }: DueAssociation, now: Date): Promise<boolean> {
    let head = association;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const due = head.NextRunAt;
      if (!due || Date.parse(due) > now.getTime()) return false;
      const next = runAfter(head, new Date(due), now);
      const started = await this.executions.start(scope, head, "Schedule", {
        expectedNextRunAt: due,
        nextRunAt: next ?? null,
      });
      if (started) return true;
      // The head moved on: taken by another tick (its next run changed), or updated (read again).
      const fresh = await this.store.current(scope, head.AssociationId);
      if (!fresh || fresh.NextRunAt !== due) return false;
      head = fresh;
    }
    return false;
  }
}
