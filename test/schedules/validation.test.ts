/**
 * Which schedule expressions associations accept, each with its source. "Reference" is the
 * Systems Manager user guide page "Reference: Cron and rate expressions for Systems Manager";
 * "field table" is the cron field table on that page (the same as EventBridge's cron reference).
 */
import { describe, expect, it } from "vitest";
import {
  durationDeadline,
  followingRun,
  nextRun,
  parseSchedule,
  validateAssociationSchedule,
} from "../../shared/domain/schedules/schedule.ts";
import { InvalidSchedule } from "../../shared/errors.ts";

function refusal(expression: string): InvalidSchedule {
  try {
    parseSchedule(expression);
  } catch (error) {
    if (error instanceof InvalidSchedule) return error;
    throw error;
  }
  throw new Error(`${expression} was accepted`);
}

describe("accepted expressions", () => {
  it.each([
    // Reference, "Cron examples for associations"
    ["cron(0/30 * * * ? *)", "Reference: every 30 minutes"],
    ["cron(0 0/1 * * ? *)", "Reference: every hour"],
    ["cron(0 0/2 * * ? *)", "Reference: every 2 hours"],
    ["cron(0 0/4 * * ? *)", "Reference: every 4 hours"],
    ["cron(0 0/8 * * ? *)", "Reference: every 8 hours"],
    ["cron(0 0/12 * * ? *)", "Reference: every 12 hours"],
    ["cron(15 13 ? * * *)", "Reference: every day at 1:15 PM"],
    ["cron(15 13 ? * MON *)", "Reference: every Monday at 1:15 PM"],
    ["cron(30 23 ? * TUE#3 *)", "Reference: the third Tuesday of every month"],
    ["cron(0 0 ? * THU#2 *)", "Reference: the second Thursday (offset example)"],
    ["cron(0 0 ? * 3L *)", "Reference: the last Tuesday of every month"],
    ["cron(0 */30 * * * ? *)", "Reference: the optional seconds field can be 0"],
    ["cron(0 2 ? * SUN *)", "Reference: AWS CLI example for associations"],
    // Maintenance-window examples on the same page that stay within the association rules
    ["cron(0 2 L * ? *)", "Reference: 02:00 on the last day of every month"],
    ["cron(15 10 ? * 6L *)", "Reference: the last Friday of every month"],
    ["cron(30 09 ? * * *)", "Reference: leading zero in the hours"],
    ["cron(0 2 ? * THU#3 *)", "Reference: the third Thursday"],
    // Field table: W, LW, lists, ranges, names and years
    ["cron(0 8 15W * ? *)", "field table: W"],
    ["cron(0 18 LW * ? *)", "field table: LW"],
    ["cron(15 10 ? * MON-FRI *)", "field table: day-name range"],
    ["cron(0 6,18 1,15 * ? *)", "field table: lists"],
    ["cron(0 6 1 JAN-DEC ? 2028-2030)", "field table: month names covering every month, year range"],
    ["cron(0 0 0/4 1/1 * ? *)", "the console's seven-field form (accepted before this module)"],
    // Reference, "Rate examples for associations", and the 30-minute to 31-day bounds
    ["rate(30 minutes)", "Reference: rate example"],
    ["rate(1 hour)", "Reference: rate example"],
    ["rate(5 hours)", "Reference: rate example"],
    ["rate(15 days)", "Reference: rate example"],
    ["rate(7 days)", "Reference: AWS CLI example"],
    ["rate(30 days)", "Reference: less than 31 days"],
    ["rate(1 day)", "Reference: singular unit for 1"],
    // Reference, "Single-run schedules"
    ["at(2020-07-07T15:55:00)", "Reference: single-run schedule"],
    ["at(2028-02-29T12:00:00)", "a leap day"],
  ])("%s (%s)", (expression) => {
    expect(parseSchedule(expression).expression).toBe(expression);
  });
});

describe("refused expressions answer InvalidSchedule", () => {
  it.each([
    // Refused before this module (test/associations/create-association.test.ts) and still refused
    ["rate(15 minutes)", "30 minutes or more"],
    ["rate(5 minutes)", "30 minutes or more"],
    ["rate(1 minute)", "30 minutes or more"],
    ["rate(1 hours)", "Use a singular unit"],
    ["rate(5 hour)", "Use a singular unit"],
    ["rate(31 days)", "less than 31 days"],
    ["rate(0 days)", "30 minutes or more"],
    ["rate(soon)", "is not of the form 'value unit'"],
    ["rate(2 weeks)", "is not of the form 'value unit'"],
    ["cron(0 2 * * *)", "must have six fields"],
    ["cron(5 0 2 ? * SUN *)", "seconds field can only be 0"],
    ["cron(0 2 1 * MON *)", "One of day-of-month and day-of-week must be '?'"],
    ["every day", "is not a cron, rate or at expression"],
    ["at(tomorrow)", "must be a UTC time as yyyy-mm-ddThh:mm:ss"],
    // Field table: "You can't use * in both the Day-of-month and Day-of-week fields"
    ["cron(0 2 * * * *)", "One of day-of-month and day-of-week must be '?'"],
    ["cron(0 2 ? * ? *)", "One of day-of-month and day-of-week must be '?'"],
    // Reference: "State Manager doesn't currently support specifying months ... for associations"
    ["cron(0 2 1 JAN ? *)", "doesn't support specifying months"],
    ["cron(0 2 1 1-6 ? *)", "doesn't support specifying months"],
    // Reference: associations run at most every 30 minutes (rate minimum, fastest cron example)
    ["cron(0/15 * * * ? *)", "at most every 30 minutes"],
    ["cron(* * * * ? *)", "at most every 30 minutes"],
    ["cron(0,50 0,23 * * ? *)", "at most every 30 minutes"],
    // Field table: values
    ["cron(60 2 * * ? *)", "The Minutes field '60' is invalid: values are 0-59."],
    ["cron(0 24 * * ? *)", "The Hours field '24' is invalid: values are 0-23."],
    ["cron(0 2 32 * ? *)", "The Day-of-month field '32' is invalid: values are 1-31."],
    ["cron(0 2 0 * ? *)", "The Day-of-month field '0' is invalid"],
    ["cron(0 2 ? * 8 *)", "The Day-of-week field '8' is invalid: values are 1-7."],
    ["cron(0 2 ? * 0 *)", "The Day-of-week field '0' is invalid"],
    ["cron(0 2 ? * FUN *)", "'FUN' is not a value of this field"],
    ["cron(0 2 1 * ? 1969)", "The Year field '1969' is invalid: values are 1970-2199."],
    ["cron(0 2 1 * ? 2200)", "values are 1970-2199"],
    ["cron(0 2 5-1 * ? *)", "must go from the lower to the higher value"],
    ["cron(0/0 2 * * ? *)", "an increment must be at least 1"],
    // Field table: the / wildcard isn't listed for Day-of-week
    ["cron(0 2 ? * MON/2 *)", "doesn't support the / wildcard"],
    // Field table and EventBridge's note: # takes 1-5 and stands alone ("3#1,6#3" is invalid)
    ["cron(0 2 ? * 3#6 *)", "the number after # must be 1-5"],
    ["cron(0 2 ? * 3#1,6#3 *)", "must be the whole field"],
    ["cron(0 2 ? * MON,3L *)", "must be the whole field"],
    // L, LW and nW stand alone in day-of-month; L-n isn't in AWS's table
    ["cron(0 2 1,L * ? *)", "must be the whole field"],
    ["cron(0 2 L-2 * ? *)", "must be the whole field"],
    ["cron(0 2 1-15W * ? *)", "must be the whole field"],
    ["cron(0 2 ?W * ? *)", "must be the whole field"],
    // Single-run schedules: a real UTC time, yyyy-mm-ddThh:mm:ss
    ["at(2027-02-29T12:00:00)", "must be a UTC time"],
    ["at(2028-02-29 12:00:00)", "must be a UTC time"],
    ["at(2028-02-29T12:00)", "must be a UTC time"],
    ["at(2028-02-29T24:00:00)", "must be a UTC time"],
    ["at(2028-02-29T12:00:00Z)", "must be a UTC time"],
  ])("%s: %s", (expression, message) => {
    const error = refusal(expression);
    expect(error.code).toBe("InvalidSchedule");
    expect(error.message).toMatch(/^The schedule is invalid\. Verify your cron or rate expression and try again\. /);
    expect(error.message).toContain(message);
  });
});

describe("the schedule members together (CreateAssociation API reference)", () => {
  const refused = (options: Parameters<typeof validateAssociationSchedule>[0]) => () =>
    validateAssociationSchedule(options);

  it("ScheduleOffset needs a cron expression and ApplyOnlyAtCronInterval", () => {
    expect(refused({ expression: "cron(0 2 ? * SUN *)", offset: 1 })).toThrow(
      /you must specify ApplyOnlyAtCronInterval/,
    );
    const applyOnly = { offset: 1, applyOnlyAtCronInterval: true };
    expect(refused({ expression: "rate(1 day)", ...applyOnly })).toThrow(InvalidSchedule);
    expect(refused({ expression: "at(2028-02-29T12:00:00)", ...applyOnly })).toThrow(/only be used with a cron/);
    expect(refused({ ...applyOnly })).toThrow(/only be used with a cron/);
    expect(
      validateAssociationSchedule({ expression: "cron(0 0 ? * THU#2 *)", offset: 3, applyOnlyAtCronInterval: true }),
    ).toMatchObject({ kind: "cron" });
  });

  it("ApplyOnlyAtCronInterval isn't supported for rate expressions, but is for at (the Reference's CLI example)", () => {
    expect(refused({ expression: "rate(1 day)", applyOnlyAtCronInterval: true })).toThrow(/isn't supported for rate/);
    expect(
      validateAssociationSchedule({ expression: "at(2020-07-07T15:55:00)", applyOnlyAtCronInterval: true }),
    ).toMatchObject({ kind: "at" });
    expect(validateAssociationSchedule({})).toBeUndefined();
  });

  it("Duration cancels a run only with ApplyOnlyAtCronInterval", () => {
    const start = new Date("2028-02-29T23:00:00Z");
    expect(durationDeadline(start, { duration: 2, applyOnlyAtCronInterval: true })).toEqual(
      new Date("2028-03-01T01:00:00Z"),
    );
    expect(durationDeadline(start, { duration: 2 })).toBeUndefined();
    expect(durationDeadline(start, { applyOnlyAtCronInterval: true })).toBeUndefined();
  });
});

describe("next run", () => {
  const lastDay = parseSchedule("cron(0 2 L * ? *)");

  it("is strictly after the given time", () => {
    expect(nextRun(lastDay, new Date("2028-01-31T02:00:00Z"))).toEqual(new Date("2028-02-29T02:00:00Z"));
    expect(nextRun(lastDay, new Date("2028-01-31T01:59:59.999Z"))).toEqual(new Date("2028-01-31T02:00:00Z"));
    expect(nextRun(lastDay, new Date("2028-01-31T02:00:00.001Z"))).toEqual(new Date("2028-02-29T02:00:00Z"));
  });

  it("is undefined once an at() is past or a year field has run out", () => {
    const once = parseSchedule("at(2028-02-29T12:00:00)");
    expect(nextRun(once, new Date("2028-02-29T11:59:59Z"))).toEqual(new Date("2028-02-29T12:00:00Z"));
    expect(nextRun(once, new Date("2028-02-29T12:00:00Z"))).toBeUndefined();
    expect(followingRun(once, new Date("2028-02-29T12:00:00Z"))).toBeUndefined();
    const bounded = parseSchedule("cron(0 0 ? * 5#5 2028)");
    expect(nextRun(bounded, new Date("2028-11-30T00:00:00Z"))).toBeUndefined();
  });

  it("finds a run far ahead by stepping months, not minutes", () => {
    // The fifth Thursday of a month in 2199, looked for from 1970: 230 years of months.
    expect(nextRun(parseSchedule("cron(0 0 ? * 5#5 2199)"), new Date("1970-01-01T00:00:00Z"))).toEqual(
      new Date("2199-01-31T00:00:00Z"),
    );
  });

  it("refuses an offset for a rate or at schedule", () => {
    expect(() => nextRun(parseSchedule("rate(1 day)"), new Date(0), { offsetDays: 2 })).toThrow(InvalidSchedule);
  });
});
