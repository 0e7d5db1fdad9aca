/**
 * `rate(<value> <unit>)` for associations ("Reference: Cron and rate expressions for Systems
 * Manager"): units minute(s), hour(s) or day(s); a singular unit for the value 1 and a plural one
 * otherwise ("rate(1 hours) and rate(5 hour) aren't valid"); "intervals of 30 minutes or greater
 * and less than 31 days".
 */
import { MINUTE_MS } from "./calendar.ts";
import { invalidSchedule, messages } from "./messages.ts";

const UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

export interface RateSchedule {
  readonly kind: "rate";
  readonly expression: string;
  /** The interval between runs, in minutes. */
  readonly minutes: number;
}

export function parseRate(body: string, expression: string): RateSchedule {
  const match = body.trim().match(/^(\d+) (minute|minutes|hour|hours|day|days)$/);
  if (!match) throw invalidSchedule(messages.rateForm(body.trim()));
  const value = Number(match[1]);
  const unit = match[2] as string;
  const singular = unit.replace(/s$/, "");
  const minutes = value * (UNIT_MINUTES[singular] as number);
  if (minutes < 30 || minutes >= 31 * 1440) throw invalidSchedule(messages.rateRange());
  if ((value === 1) !== (unit === singular)) throw invalidSchedule(messages.rateUnit());
  return { kind: "rate", expression, minutes };
}

/**
 * A rate has no calendar grid: it runs one interval after the run (or creation) it counts from.
 * Days are 24 hours, exactly, since associations run in UTC.
 */
export function nextRateRun(rate: RateSchedule, after: Date): Date {
  return new Date(after.getTime() + rate.minutes * MINUTE_MS);
}
