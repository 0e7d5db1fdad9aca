/**
 * Schedule expressions as State Manager accepts them for associations (Systems Manager user
 * guide, "Reference: Cron and rate expressions"):
 * - `rate(<n> minute(s)|hour(s)|day(s))`: singular unit for 1, plural otherwise; at least 30
 *   minutes and less than 31 days;
 * - `cron(...)`: six fields (minutes hours day-of-month month day-of-week year) with an optional
 *   leading seconds field that can only be 0; one of day-of-month and day-of-week must be `?`;
 * - `at(yyyy-mm-ddThh:mm:ss)`: a single run.
 * `ScheduleOffset` needs a cron expression and `ApplyOnlyAtCronInterval`, which rate expressions
 * do not support. The wire error for all of these is InvalidSchedule.
 */
import { InvalidSchedule } from "../../errors.ts";

const GENERIC = "The schedule is invalid. Verify your cron or rate expression and try again.";
const invalid = (detail: string) => new InvalidSchedule(`${GENERIC} ${detail}`);

const UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };
const CRON_FIELD = /^[0-9A-Za-z*?,/#L W-]+$/;

export type ScheduleKind = "rate" | "cron" | "at";

export function scheduleKind(expression: string): ScheduleKind | undefined {
  const match = expression.trim().match(/^(rate|cron|at)\(/);
  return match?.[1] as ScheduleKind | undefined;
}

function checkRate(body: string): void {
  const match = body.match(/^(\d+) (minute|minutes|hour|hours|day|days)$/);
  if (!match) throw invalid(`Rate expression '${body}' is not of the form 'value unit'.`);
  const value = Number(match[1]);
  const unit = match[2] as string;
  const singular = unit.replace(/s$/, "");
  if (value < 1 || (value === 1) !== (unit === singular)) {
    throw invalid("Use a singular unit for the value 1 and a plural unit otherwise.");
  }
  const minutes = value * (UNIT_MINUTES[singular] as number);
  if (minutes < 30 || minutes >= 31 * 1440) {
    throw invalid("Associations support rate expressions of 30 minutes or more and less than 31 days.");
  }
}

function checkCron(body: string): void {
  let fields = body.trim().split(/\s+/);
  if (fields.length === 7) {
    if (fields[0] !== "0") throw invalid("The optional seconds field can only be 0.");
    fields = fields.slice(1);
  }
  if (fields.length !== 6 || !fields.every((field) => CRON_FIELD.test(field))) {
    throw invalid(`Cron expression '${body}' must have six fields: minutes hours day-of-month month day-of-week year.`);
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    throw invalid("One of day-of-month and day-of-week must be '?'.");
  }
}

function checkAt(body: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body) || Number.isNaN(Date.parse(`${body}Z`))) {
    throw invalid(`'at' expression '${body}' must be a UTC time as yyyy-mm-ddThh:mm:ss.`);
  }
}

export function validateSchedule(options: {
  expression?: string;
  offset?: number;
  applyOnlyAtCronInterval?: boolean;
}): void {
  const { expression, offset, applyOnlyAtCronInterval } = options;
  const kind = expression ? scheduleKind(expression) : undefined;
  if (expression) {
    const body = expression.trim().match(/^\w+\((.*)\)$/)?.[1];
    if (!kind || body === undefined) throw invalid(`'${expression}' is not a cron, rate or at expression.`);
    if (kind === "rate") checkRate(body.trim());
    if (kind === "cron") checkCron(body);
    if (kind === "at") checkAt(body.trim());
  }
  if (applyOnlyAtCronInterval && kind === "rate") {
    throw invalid("ApplyOnlyAtCronInterval isn't supported for rate expressions.");
  }
  if (offset !== undefined) {
    if (kind !== "cron") throw invalid("ScheduleOffset can only be used with a cron expression.");
    if (!applyOnlyAtCronInterval) throw invalid("To use ScheduleOffset, you must specify ApplyOnlyAtCronInterval.");
  }
}
