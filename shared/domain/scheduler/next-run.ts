/**
 * When an association runs next, from its schedule (shared/domain/schedules/): the first run
 * after a create or a schedule change, and the run after a due one.
 */
import { followingRun, nextRun, parseSchedule } from "../schedules/schedule.ts";

type Scheduled = { ScheduleExpression?: string; ScheduleOffset?: number; ApplyOnlyAtCronInterval: boolean };

/**
 * The first scheduled run after `now`, when the association is created or its schedule changes.
 * - cron/rate: the first time after now (plus ScheduleOffset for cron). The immediate run that a
 *   create or an update makes (unless ApplyOnlyAtCronInterval) is not a scheduled one.
 * - at(...): the time itself. If it is already past, "Associations created with a date in the
 *   past or present ... run immediately" (create-association CLI example 3, with
 *   --apply-only-at-cron-interval): due at once, so the next tick runs it; without
 *   ApplyOnlyAtCronInterval the immediate run is that run, and there is none left.
 */
export function firstRun(association: Scheduled, now: Date): string | undefined {
  if (!association.ScheduleExpression) return undefined;
  const schedule = parseSchedule(association.ScheduleExpression);
  if (schedule.kind === "at") {
    const at = nextRun(schedule, new Date(0));
    if (!at) return undefined;
    if (at.getTime() <= now.getTime() && !association.ApplyOnlyAtCronInterval) return undefined;
    return at.toISOString();
  }
  return nextRun(schedule, now, { offsetDays: association.ScheduleOffset })?.toISOString();
}

/**
 * The run after the one due at `due`, anchored on the due time (not on when a tick picked it
 * up), skipping runs already past at `now`: a scheduler that was stopped for a while runs a
 * missed schedule once, not once per missed time. undefined when there is none (at(...) runs
 * once; a cron whose years have run out).
 */
export function runAfter(association: Scheduled, due: Date, now: Date): string | undefined {
  if (!association.ScheduleExpression) return undefined;
  const schedule = parseSchedule(association.ScheduleExpression);
  const options = { offsetDays: association.ScheduleOffset };
  let next = followingRun(schedule, due, options);
  for (let guard = 0; next && next.getTime() <= now.getTime() && guard < 100_000; guard++) {
    next = followingRun(schedule, next, options);
  }
  return next?.toISOString();
}
