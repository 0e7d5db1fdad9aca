/**
 * Every way a schedule is refused answers `InvalidSchedule`, the one wire error the service model
 * has for it. The message starts with the model's own description of that error and then says
 * which rule the expression broke, so a user can fix it without guessing.
 */
import { InvalidSchedule } from "../../errors.ts";

const GENERIC = "The schedule is invalid. Verify your cron or rate expression and try again.";

export const invalidSchedule = (detail: string): InvalidSchedule => new InvalidSchedule(`${GENERIC} ${detail}`);

export const messages = {
  notAnExpression: (expression: string) => `'${expression}' is not a cron, rate or at expression.`,
  rateForm: (body: string) => `Rate expression '${body}' is not of the form 'value unit'.`,
  rateUnit: () => "Use a singular unit for the value 1 and a plural unit otherwise.",
  rateRange: () => "Associations support rate expressions of 30 minutes or more and less than 31 days.",
  atForm: (body: string) => `'at' expression '${body}' must be a UTC time as yyyy-mm-ddThh:mm:ss.`,
  cronFields: (body: string) =>
    `Cron expression '${body}' must have six fields: minutes hours day-of-month month day-of-week year.`,
  cronSeconds: () => "The optional seconds field can only be 0.",
  cronOneQuestionMark: () => "One of day-of-month and day-of-week must be '?'.",
  cronField: (field: string, text: string, why: string) => `The ${field} field '${text}' is invalid: ${why}`,
  cronMonths: () => "State Manager doesn't support specifying months in cron expressions for associations; use '*'.",
  cronTooFrequent: () => "Associations support cron expressions that run at most every 30 minutes.",
  offsetNeedsCron: () => "ScheduleOffset can only be used with a cron expression.",
  offsetNeedsApplyOnly: () => "To use ScheduleOffset, you must specify ApplyOnlyAtCronInterval.",
  applyOnlyWithRate: () => "ApplyOnlyAtCronInterval isn't supported for rate expressions.",
};
