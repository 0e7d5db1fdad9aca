/**
 * Schedules of State Manager associations: the one parser that both validates an expression and
 * computes its runs. Pure: time is always passed in, nothing here reads a clock or a store.
 *
 * Associations have no schedule time zone (CreateAssociation has no such member, unlike
 * maintenance windows' ScheduleTimezone): every expression runs in UTC.
 */
import { type AtSchedule, nextAtRun, parseAt } from "./at.ts";
import { DAY_MS, HOUR_MS } from "./calendar.ts";
import { type CronSchedule, nextCronRun, parseCron } from "./cron.ts";
import { invalidSchedule, messages } from "./messages.ts";
import { nextRateRun, parseRate, type RateSchedule } from "./rate.ts";

export type { AtSchedule, CronSchedule, RateSchedule };
export type Schedule = CronSchedule | RateSchedule | AtSchedule;
export type ScheduleKind = Schedule["kind"];

export interface RunOptions {
  /** ScheduleOffset: days to wait after the date and time the cron expression specifies (1-6). */
  offsetDays?: number;
}

/** The kind an expression claims to be by its prefix, without validating the rest. */
export function scheduleKind(expression: string): ScheduleKind | undefined {
  return expression.trim().match(/^(rate|cron|at)\(/)?.[1] as ScheduleKind | undefined;
}

/** Parses `cron(...)`, `rate(...)` or `at(...)`; throws InvalidSchedule saying what is wrong. */
export function parseSchedule(expression: string): Schedule {
  const kind = scheduleKind(expression);
  const body = expression.trim().match(/^\w+\((.*)\)$/)?.[1];
  if (!kind || body === undefined) throw invalidSchedule(messages.notAnExpression(expression));
  if (kind === "rate") return parseRate(body, expression);
  if (kind === "cron") return parseCron(body, expression);
  return parseAt(body, expression);
}

function offsetMs(schedule: Schedule, options: RunOptions): number {
  const days = options.offsetDays ?? 0;
  if (days !== 0 && schedule.kind !== "cron") throw invalidSchedule(messages.offsetNeedsCron());
  return days * DAY_MS;
}

/**
 * The first run strictly after `after`, or undefined when there is none (an `at` that is past, or
 * a cron whose year field has run out).
 * - cron: the first time the expression specifies after `after`, plus the offset. Per the AWS
 *   reference, a cron time already past does not count even if its offset run is still ahead
 *   ("if you specify a cron expression that would have run yesterday and add a schedule offset of
 *   two days, [it] won't run tomorrow"): pass the creation time here for the first run.
 * - rate: `after` plus the interval; pass the creation time or the previous run.
 * - at: the time itself, if it is after `after`.
 */
export function nextRun(schedule: Schedule, after: Date, options: RunOptions = {}): Date | undefined {
  const offset = offsetMs(schedule, options);
  if (schedule.kind === "rate") return nextRateRun(schedule, after);
  if (schedule.kind === "at") return nextAtRun(schedule, after);
  const run = nextCronRun(schedule, after);
  return run && new Date(run.getTime() + offset);
}

/**
 * The run that follows `previousRun` (the due time of the last run, not when it happened to be
 * picked up). With an offset, the next cron time is counted from the cron time that produced
 * `previousRun`, so no cron time is skipped while an offset run is pending.
 */
export function followingRun(schedule: Schedule, previousRun: Date, options: RunOptions = {}): Date | undefined {
  return nextRun(schedule, new Date(previousRun.getTime() - offsetMs(schedule, options)), options);
}

/**
 * The schedule members of CreateAssociation / UpdateAssociation, checked together:
 * ScheduleOffset needs a cron expression and ApplyOnlyAtCronInterval; ApplyOnlyAtCronInterval
 * "isn't supported for rate expressions" (CreateAssociation API reference).
 */
export function validateAssociationSchedule(options: {
  expression?: string;
  offset?: number;
  applyOnlyAtCronInterval?: boolean;
}): Schedule | undefined {
  const { expression, offset, applyOnlyAtCronInterval } = options;
  const schedule = expression ? parseSchedule(expression) : undefined;
  if (applyOnlyAtCronInterval && schedule?.kind === "rate") throw invalidSchedule(messages.applyOnlyWithRate());
  if (offset !== undefined) {
    if (schedule?.kind !== "cron") throw invalidSchedule(messages.offsetNeedsCron());
    if (!applyOnlyAtCronInterval) throw invalidSchedule(messages.offsetNeedsApplyOnly());
  }
  return schedule;
}

/**
 * When a run must be canceled under `Duration` (hours, 1-24): AWS applies it "only when" the
 * association has ApplyOnlyAtCronInterval (and its document is cancelable, which the caller
 * knows); otherwise there is no deadline.
 */
export function durationDeadline(
  startedAt: Date,
  options: { duration?: number; applyOnlyAtCronInterval?: boolean },
): Date | undefined {
  if (!options.duration || !options.applyOnlyAtCronInterval) return undefined;
  return new Date(startedAt.getTime() + options.duration * HOUR_MS);
}
