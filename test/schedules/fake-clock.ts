/**
 * A fake clock and a stand-in for the scheduler loop, so a year of runs takes milliseconds: the
 * association's due time is stored, the clock moves, and when the clock reaches the due time the
 * run is recorded and the due time advances with `followingRun`, as the scheduler function will.
 */
import { followingRun, nextRun, parseSchedule, type RunOptions } from "../../shared/domain/schedules/schedule.ts";

export class FakeClock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  nowMs(): number {
    return this.ms;
  }
  set(to: Date): void {
    if (to.getTime() < this.ms) throw new Error("a clock never goes back");
    this.ms = to.getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Simulation {
  expression: string;
  /** When the association is created: the first run is the first one strictly after it. */
  from: string;
  /** The last instant simulated (inclusive). */
  until: string;
  offsetDays?: number;
  /** "jump": the clock jumps to each due time; "minute": it ticks every minute like the scheduler. */
  mode?: "jump" | "minute";
}

/** `2028-01-31T02:00:00Z`, the form the tables are written in. */
export const iso = (date: Date): string => date.toISOString().replace(".000Z", "Z");

export function simulate({ expression, from, until, offsetDays, mode = "jump" }: Simulation): string[] {
  const schedule = parseSchedule(expression);
  const options: RunOptions = offsetDays === undefined ? {} : { offsetDays };
  const clock = new FakeClock(Date.parse(from));
  const end = Date.parse(until);
  const runs: string[] = [];
  let due = nextRun(schedule, clock.now(), options);
  while (due && due.getTime() <= end) {
    if (mode === "jump") clock.set(due);
    else while (clock.nowMs() < due.getTime()) clock.advance(60_000);
    // The scheduler starts the run at the first tick at or after the due time.
    if (clock.nowMs() !== due.getTime()) throw new Error(`ran at ${iso(clock.now())}, due ${iso(due)}`);
    runs.push(iso(due));
    const previous = due;
    due = followingRun(schedule, due, options);
    // The contract the scheduler relies on: every next run is strictly later than the last one.
    if (due && due.getTime() <= previous.getTime()) throw new Error(`${iso(due)} doesn't follow ${iso(previous)}`);
  }
  return runs;
}
