/**
 * `cron(...)` for State Manager associations ("Reference: Cron and rate expressions for Systems
 * Manager", Systems Manager user guide, and its field table, the same as EventBridge's):
 *
 *   minutes 0-59 `, - * /` | hours 0-23 `, - * /` | day-of-month 1-31 `, - * ? / L W` |
 *   month 1-12 or JAN-DEC `, - * /` | day-of-week 1-7 (1 = SUN) or SUN-SAT `, - * ? L #` |
 *   year 1970-2199 `, - * /`
 *
 * Rules for associations on that page: an optional leading seconds field whose value can only be
 * 0; one of day-of-month and day-of-week must be `?`; months can't be specified; associations run
 * at most every 30 minutes (the fastest cron example, "every 30 minutes", and the rate minimum).
 * With `#` the day-of-week field holds that one expression (EventBridge: "3#1,6#3" is invalid);
 * `L`, `LW` and `nW` likewise stand alone in day-of-month.
 */
import { daysInMonth, isWeekend, MINUTE_MS, SATURDAY, weekday } from "./calendar.ts";
import { type FieldSpec, fieldValue, fieldValues } from "./fields.ts";
import { invalidSchedule, messages } from "./messages.ts";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const MINUTES: FieldSpec = { name: "Minutes", min: 0, max: 59, steps: true };
const HOURS: FieldSpec = { name: "Hours", min: 0, max: 23, steps: true };
const DAY_OF_MONTH: FieldSpec = { name: "Day-of-month", min: 1, max: 31, steps: true };
const MONTH: FieldSpec = { name: "Month", min: 1, max: 12, names: MONTHS, steps: true };
const DAY_OF_WEEK: FieldSpec = { name: "Day-of-week", min: 1, max: 7, names: DAYS, steps: false };
const YEAR: FieldSpec = { name: "Year", min: 1970, max: 2199, steps: true };

/** Which days of a month the day-of-month field selects. */
export type DayOfMonthRule =
  | { readonly kind: "any" } // `?`
  | { readonly kind: "days"; readonly days: readonly number[] }
  | { readonly kind: "last" } // `L`
  | { readonly kind: "lastWeekday" } // `LW`
  | { readonly kind: "nearestWeekday"; readonly day: number }; // `nW`

/** Which days of a month the day-of-week field selects (1 = Sunday ... 7 = Saturday). */
export type DayOfWeekRule =
  | { readonly kind: "any" } // `?`
  | { readonly kind: "days"; readonly days: readonly number[] }
  | { readonly kind: "last"; readonly weekday: number } // `nL`: the last such day of the month
  | { readonly kind: "nth"; readonly weekday: number; readonly nth: number }; // `n#k`

export interface CronSchedule {
  readonly kind: "cron";
  readonly expression: string;
  /** Minutes of the UTC day at which it runs on a matching day, ascending. */
  readonly times: readonly number[];
  readonly dayOfMonth: DayOfMonthRule;
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeekRule;
  readonly years: readonly number[];
}

function parseDayOfMonth(text: string): DayOfMonthRule {
  if (text === "?") return { kind: "any" };
  const upper = text.toUpperCase();
  if (upper === "L") return { kind: "last" };
  if (upper === "LW") return { kind: "lastWeekday" };
  const weekdayOf = upper.match(/^(\d+)W$/);
  if (weekdayOf) return { kind: "nearestWeekday", day: fieldValue(DAY_OF_MONTH, weekdayOf[1] as string, text) };
  if (/[LW?]/.test(upper)) {
    throw invalidSchedule(
      messages.cronField(DAY_OF_MONTH.name, text, "L, LW, nW and ? must be the whole field (for example 15W)."),
    );
  }
  return { kind: "days", days: fieldValues(DAY_OF_MONTH, text) };
}

function parseDayOfWeek(text: string): DayOfWeekRule {
  if (text === "?") return { kind: "any" };
  const upper = text.toUpperCase();
  // `L` alone is the last day of the week: Saturday.
  if (upper === "L") return { kind: "days", days: [SATURDAY] };
  const last = upper.match(/^([0-9A-Z]+?)L$/);
  if (last) return { kind: "last", weekday: fieldValue(DAY_OF_WEEK, last[1] as string, text) };
  const nth = upper.match(/^([0-9A-Z]+)#(\d+)$/);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) {
      throw invalidSchedule(messages.cronField(DAY_OF_WEEK.name, text, "the number after # must be 1-5."));
    }
    return { kind: "nth", weekday: fieldValue(DAY_OF_WEEK, nth[1] as string, text), nth: n };
  }
  if (/[L#?]/.test(upper)) {
    throw invalidSchedule(
      messages.cronField(
        DAY_OF_WEEK.name,
        text,
        "an expression with L, # or ? must be the whole field (for example 3#2).",
      ),
    );
  }
  return { kind: "days", days: fieldValues(DAY_OF_WEEK, text) };
}

/** The shortest gap between two runs, across midnight too, in minutes. */
function shortestGap(times: readonly number[]): number {
  let gap = 1440 - (times.at(-1) as number) + (times[0] as number);
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, (times[i] as number) - (times[i - 1] as number));
  return gap;
}

/** Parses the text between `cron(` and `)`; throws InvalidSchedule naming the broken rule. */
export function parseCron(body: string, expression: string): CronSchedule {
  let fields = body.trim().split(/\s+/);
  if (fields.length === 7) {
    if (fields[0] !== "0") throw invalidSchedule(messages.cronSeconds());
    fields = fields.slice(1);
  }
  if (fields.length !== 6) throw invalidSchedule(messages.cronFields(body));
  const [minutes = "", hours = "", dayOfMonth = "", month = "", dayOfWeek = "", year = ""] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) throw invalidSchedule(messages.cronOneQuestionMark());
  const minuteList = fieldValues(MINUTES, minutes);
  const times = fieldValues(HOURS, hours).flatMap((hour) => minuteList.map((minute) => hour * 60 + minute));
  const schedule: CronSchedule = {
    kind: "cron",
    expression,
    times,
    dayOfMonth: parseDayOfMonth(dayOfMonth),
    months: fieldValues(MONTH, month),
    dayOfWeek: parseDayOfWeek(dayOfWeek),
    years: fieldValues(YEAR, year),
  };
  // `*`, `1/1` or `1-12` name no month; anything narrower specifies months.
  if (schedule.months.length !== 12) throw invalidSchedule(messages.cronMonths());
  if (shortestGap(times) < 30) throw invalidSchedule(messages.cronTooFrequent());
  return schedule;
}

function nearestWeekday(year: number, month: number, day: number, last: number): number {
  const dayOfWeek = weekday(year, month, day);
  if (!isWeekend(dayOfWeek)) return day;
  // Saturday moves back to Friday and Sunday on to Monday, unless that leaves the month:
  // 1W on a Saturday is Monday the 3rd, and a last day on a Sunday is Friday two days before.
  if (dayOfWeek === SATURDAY) return day === 1 ? 3 : day - 1;
  return day === last ? day - 2 : day + 1;
}

/** The days of `month` in `year` that the day fields select, ascending. */
export function matchingDays(cron: CronSchedule, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  const dom = cron.dayOfMonth;
  switch (dom.kind) {
    case "days":
      return dom.days.filter((day) => day <= last);
    case "last":
      return [last];
    case "lastWeekday":
      return [nearestWeekday(year, month, last, last)];
    case "nearestWeekday":
      // A month without that day has no run, as a plain day number wouldn't.
      return dom.day <= last ? [nearestWeekday(year, month, dom.day, last)] : [];
    case "any":
      break;
  }
  const dow = cron.dayOfWeek;
  const first = weekday(year, month, 1);
  /** The first day of the month falling on `target`. */
  const firstOn = (target: number) => 1 + ((target - first + 7) % 7);
  switch (dow.kind) {
    case "days": {
      const days: number[] = [];
      for (let day = 1; day <= last; day++) if (dow.days.includes(((first - 1 + day - 1) % 7) + 1)) days.push(day);
      return days;
    }
    case "last": {
      const day = firstOn(dow.weekday);
      return [day + 7 * Math.floor((last - day) / 7)];
    }
    case "nth": {
      // Months without a fifth such day are skipped.
      const day = firstOn(dow.weekday) + 7 * (dow.nth - 1);
      return day <= last ? [day] : [];
    }
    case "any":
      return []; // unreachable: parseCron requires exactly one of the day fields to be `?`
  }
}

/**
 * The first run strictly after `after`. It steps by fields (year, month, matching day, time), so
 * its cost is bounded by the months it looks at, never by minutes; undefined when the year
 * field has no run left.
 */
export function nextCronRun(cron: CronSchedule, after: Date): Date | undefined {
  // Runs fall on whole minutes, so "strictly after" starts at the next whole minute.
  const start = new Date((Math.floor(after.getTime() / MINUTE_MS) + 1) * MINUTE_MS);
  const [startYear, startMonth, startDay] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  const startMinute = start.getUTCHours() * 60 + start.getUTCMinutes();
  for (const year of cron.years) {
    if (year < startYear) continue;
    for (const month of cron.months) {
      if (year === startYear && month < startMonth) continue;
      const thisMonth = year === startYear && month === startMonth;
      for (const day of matchingDays(cron, year, month)) {
        if (thisMonth && day < startDay) continue;
        const from = thisMonth && day === startDay ? startMinute : 0;
        const time = cron.times.find((minute) => minute >= from);
        if (time !== undefined) return new Date(Date.UTC(year, month - 1, day) + time * MINUTE_MS);
      }
    }
  }
  return undefined;
}
