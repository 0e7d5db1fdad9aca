/**
 * `at(yyyy-mm-ddThh:mm:ss)`: a single run at that time, in UTC ("Single-run schedules",
 * "Reference: Cron and rate expressions for Systems Manager").
 */
import { invalidSchedule, messages } from "./messages.ts";

export interface AtSchedule {
  readonly kind: "at";
  readonly expression: string;
  readonly at: Date;
}

export function parseAt(body: string, expression: string): AtSchedule {
  const text = body.trim();
  const parts = text
    .match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/)
    ?.slice(1)
    .map(Number);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts ?? [];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // The date must exist as written: Date.UTC would quietly roll 2027-02-29 over to March 1st.
  const exact =
    parts !== undefined &&
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second;
  if (!exact) throw invalidSchedule(messages.atForm(text));
  return { kind: "at", expression, at };
}

/** The one run, if it is still ahead of `after`. */
export function nextAtRun(schedule: AtSchedule, after: Date): Date | undefined {
  return schedule.at.getTime() > after.getTime() ? new Date(schedule.at) : undefined;
}
