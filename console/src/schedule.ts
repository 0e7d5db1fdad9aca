/**
 * Next run times of a State Manager schedule, for the create form's preview: `rate()`, six-field
 * `cron()` (minutes hours day-of-month month day-of-week year, optional leading seconds `0`) and
 * `at()`, all in UTC as State Manager schedules them (Systems Manager user guide, "Reference: Cron
 * and rate expressions for Systems Manager"). The server stays the judge of what is valid; this
 * only previews, so it answers `error` rather than guess.
 */

export type SchedulePreview = { summary: string; next: Date[]; error?: undefined } | { error: string };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MINUTE = 60_000;
const UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

export function previewSchedule(expression: string, from: Date, count = 5): SchedulePreview {
  const match = expression.trim().match(/^(rate|cron|at)\((.*)\)$/);
  if (!match) return { error: "Use rate(…), cron(…) or at(…)." };
  const [, kind, body = ""] = match;
  try {
    if (kind === "rate") return rate(body.trim(), from, count);
    if (kind === "at") return at(body.trim(), from);
    return cron(body, from, count);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function rate(body: string, from: Date, count: number): SchedulePreview {
  const match = body.match(/^(\d+)\s+(minute|minutes|hour|hours|day|days)$/);
  if (!match) throw new Error("A rate is a number and a unit: rate(30 minutes), rate(1 day).");
  const value = Number(match[1]);
  const unit = (match[2] as string).replace(/s$/, "");
  const step = value * (UNIT_MINUTES[unit] as number) * MINUTE;
  if (value < 1) throw new Error("The rate must be at least 1.");
  const next = Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * step));
  return { summary: `Every ${value === 1 ? unit : `${value} ${unit}s`}, counted from when it is created`, next };
}

function at(body: string, from: Date): SchedulePreview {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body))
    throw new Error("at() takes a UTC time: yyyy-mm-ddThh:mm:ss.");
  const when = new Date(`${body}Z`);
  if (Number.isNaN(when.getTime())) throw new Error(`${body} is not a date.`);
  return { summary: "Once", next: when > from ? [when] : [] };
}

/** A field's allowed values as a set, from lists, ranges, steps and names. */
function values(field: string, min: number, max: number, names: string[] = [], nameBase = min): Set<number> {
  const out = new Set<number>();
  const number = (text: string): number => {
    const index = names.indexOf(text.toUpperCase());
    const value = index >= 0 ? index + nameBase : Number(text);
    if (!/^\d+$/.test(text) && index < 0) throw new Error(`'${text}' is not a value here.`);
    if (value < min || value > max) throw new Error(`${text} is outside ${min}-${max}.`);
    return value;
  };
  for (const item of field.split(",")) {
    const [range = "", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`'${item}' has a bad step.`);
    let low: number;
    let high: number;
    if (range === "*") [low, high] = [min, max];
    else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      [low, high] = [number(a), number(b)];
    } else {
      low = number(range);
      high = stepText === undefined ? low : max;
    }
    if (low > high) throw new Error(`'${item}' is an empty range.`);
    for (let v = low; v <= high; v += step) out.add(v);
  }
  return out;
}

type DayRule = (year: number, month: number, day: number) => boolean;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

function dayOfMonthRule(field: string): DayRule {
  if (field === "*") return () => true;
  if (field === "L") return (y, m, d) => d === daysIn(y, m);
  if (field === "LW") {
    return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  }
  const w = field.match(/^(\d+)W$/);
  if (w) {
    const target = Number(w[1]);
    if (target < 1 || target > 31) throw new Error(`${field} is outside 1-31.`);
    return (y, m, d) => d === nearestWeekday(y, m, Math.min(target, daysIn(y, m)));
  }
  const set = values(field, 1, 31);
  return (_y, _m, d) => set.has(d);
}

/** The weekday nearest to a day, within its month (the `W` of cron). */
function nearestWeekday(year: number, month: number, day: number): number {
  const dow = weekday(year, month, day);
  if (dow === 6) return day === 1 ? 3 : day - 1;
  if (dow === 0) return day === daysIn(year, month) ? day - 2 : day + 1;
  return day;
}

/** Day of week: 1-7 with 1 = Sunday, or names; `nL` the last such day, `n#k` the k-th. */
function dayOfWeekRule(field: string): DayRule {
  if (field === "*") return () => true;
  const last = field.match(/^([1-7]|[A-Za-z]{3})?L$/);
  if (last) {
    const dow = last[1] ? dayNumber(last[1]) : 7;
    return (y, m, d) => weekday(y, m, d) + 1 === dow && d + 7 > daysIn(y, m);
  }
  const nth = field.match(/^([1-7]|[A-Za-z]{3})#([1-5])$/);
  if (nth) {
    const dow = dayNumber(nth[1] as string);
    const k = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) + 1 === dow && Math.ceil(d / 7) === k;
  }
  const set = values(field, 1, 7, DAYS, 1);
  return (y, m, d) => set.has(weekday(y, m, d) + 1);
}

function dayNumber(text: string): number {
  return [...values(text, 1, 7, DAYS, 1)][0] as number;
}

function cron(body: string, from: Date, count: number): SchedulePreview {
  let fields = body.trim().split(/\s+/);
  if (fields.length === 7 && fields[0] === "0") fields = fields.slice(1);
  if (fields.length !== 6) throw new Error("cron() has six fields: minutes hours day-of-month month day-of-week year.");
  const [minuteF, hourF, domF, monthF, dowF, yearF] = fields as [string, string, string, string, string, string];
  if ((domF === "?") === (dowF === "?")) throw new Error("One of day-of-month and day-of-week must be '?'.");
  const minutes = [...values(minuteF, 0, 59)].sort((a, b) => a - b);
  const hours = [...values(hourF, 0, 23)].sort((a, b) => a - b);
  const months = values(monthF, 1, 12, MONTHS, 1);
  const years = values(yearF, 1970, 2199);
  const dayRule = domF === "?" ? dayOfWeekRule(dowF) : dayOfMonthRule(domF);

  const next: Date[] = [];
  const start = new Date(Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  // Five years of days is enough for any schedule worth previewing; rarer ones say so.
  for (let i = 0; i < 366 * 5 && next.length < count; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (!years.has(y) || !months.has(m) || !dayRule(y, m, d)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const when = new Date(Date.UTC(y, m - 1, d, hour, minute));
        if (when >= start && next.length < count) next.push(when);
      }
    }
  }
  return { summary: describeCron(minuteF, hourF, domF, monthF, dowF, yearF), next };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Plain words for the usual shapes; anything unusual is named by its fields. */
function describeCron(minute: string, hour: string, dom: string, month: string, dow: string, year: string): string {
  let time: string;
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) time = `At ${pad(Number(hour))}:${pad(Number(minute))} UTC`;
  else if (/^(\*|0)\/\d+$/.test(minute) && hour === "*") time = `Every ${minute.split("/")[1]} minutes`;
  else if (/^\d+$/.test(minute) && hour === "*") time = `At minute ${minute} of every hour`;
  else if (/^\d+$/.test(minute) && /^(\*|0)\/\d+$/.test(hour)) {
    time = `At minute ${minute} of every ${hour.split("/")[1]} hours`;
  } else time = `At minutes ${minute} of hours ${hour} (UTC)`;
  let days: string;
  if (dom === "?" && dow === "*") days = "every day";
  else if (dom === "*" && dow === "?") days = "every day";
  else if (dom === "?") days = `on ${describeDow(dow)}`;
  else if (dom === "L") days = "on the last day of the month";
  else days = `on day ${dom} of the month`;
  const months =
    month === "*" ? "" : `, in ${[...values(month, 1, 12, MONTHS, 1)].map((m) => MONTH_NAMES[m - 1]).join(", ")}`;
  const years = year === "*" ? "" : `, in ${year}`;
  return `${time}, ${days}${months}${years}`;
}

function describeDow(dow: string): string {
  const nth = dow.match(/^(.+)#(\d)$/);
  if (nth)
    return `the ${["", "first", "second", "third", "fourth", "fifth"][Number(nth[2])]} ${dayName(nth[1] as string)} of the month`;
  const last = dow.match(/^(.*)L$/);
  if (last) return `the last ${last[1] ? dayName(last[1]) : "Saturday"} of the month`;
  return [...values(dow, 1, 7, DAYS, 1)].map((d) => DAY_NAMES[d - 1]).join(", ");
}

function dayName(text: string): string {
  return DAY_NAMES[dayNumber(text) - 1] as string;
}

/** "Sun 8 Nov 2026, 02:00 UTC (in 3 days)". */
export function describeRun(when: Date, now: Date): string {
  const text = `${DAYS[when.getUTCDay()]?.[0]}${DAYS[when.getUTCDay()]?.slice(1).toLowerCase()} ${when.getUTCDate()} ${MONTH_NAMES[
    when.getUTCMonth()
  ]?.slice(0, 3)} ${when.getUTCFullYear()}, ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())} UTC`;
  return `${text} (${relative(when.getTime() - now.getTime())})`;
}

function relative(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} hour${hours === 1 ? "" : "s"}`;
  return `in ${Math.round(hours / 24)} days`;
}
