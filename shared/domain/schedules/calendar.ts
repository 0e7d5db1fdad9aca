/** UTC calendar arithmetic: associations' schedules run in UTC, so no time zone is ever involved. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days in `month` (1-12) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of week as AWS cron numbers it: 1 = Sunday ... 7 = Saturday. */
export function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

export const SUNDAY = 1;
export const SATURDAY = 7;
export const isWeekend = (dayOfWeek: number): boolean => dayOfWeek === SUNDAY || dayOfWeek === SATURDAY;
