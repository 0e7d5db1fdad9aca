/**
 * Run times over a simulated year, driven by a fake clock, against tables worked out by hand from
 * the 2028 calendar (a leap year: January 1st is a Saturday, February 29th a Tuesday). The
 * expressions come from the Systems Manager reference ("Reference: Cron and rate expressions
 * for Systems Manager") where it has them.
 */
import { describe, expect, it } from "vitest";
import { type Simulation, simulate } from "./fake-clock.ts";

const YEAR_2028 = { from: "2028-01-01T00:00:00Z", until: "2028-12-31T23:59:59Z" };

const at = (time: string, ...days: string[]) => days.map((day) => `${day}T${time}Z`);

const table: (Simulation & { name: string; runs: string[] })[] = [
  {
    name: "02:00 on the last day of every month (AWS maintenance window example), Feb 29th included",
    expression: "cron(0 2 L * ? *)",
    ...YEAR_2028,
    runs: at(
      "02:00:00",
      ...["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30"],
      ...["2028-07-31", "2028-08-31", "2028-09-30", "2028-10-31", "2028-11-30", "2028-12-31"],
    ),
  },
  {
    name: "day 31: months without one are skipped",
    expression: "cron(30 6 31 * ? *)",
    ...YEAR_2028,
    runs: at(
      "06:30:00",
      "2028-01-31",
      "2028-03-31",
      "2028-05-31",
      "2028-07-31",
      "2028-08-31",
      "2028-10-31",
      "2028-12-31",
    ),
  },
  {
    name: "second Thursday with ScheduleOffset 3: the Sunday after (AWS association example)",
    expression: "cron(0 0 ? * THU#2 *)",
    offsetDays: 3,
    ...YEAR_2028,
    runs: at(
      "00:00:00",
      ...["2028-01-16", "2028-02-13", "2028-03-12", "2028-04-16", "2028-05-14", "2028-06-11"],
      ...["2028-07-16", "2028-08-13", "2028-09-17", "2028-10-15", "2028-11-12", "2028-12-17"],
    ),
  },
  {
    name: "third Tuesday 23:30 with ScheduleOffset 2: 23:30 two days later (AWS example)",
    expression: "cron(30 23 ? * TUE#3 *)",
    offsetDays: 2,
    ...YEAR_2028,
    runs: at(
      "23:30:00",
      ...["2028-01-20", "2028-02-17", "2028-03-23", "2028-04-20", "2028-05-18", "2028-06-22"],
      ...["2028-07-20", "2028-08-17", "2028-09-21", "2028-10-19", "2028-11-23", "2028-12-21"],
    ),
  },
  {
    // Dec 31st 2027 is the last Friday before creation: its offset run (Jan 6th) is after the
    // creation but doesn't happen, as the reference says of a cron day already past.
    name: "last Friday with ScheduleOffset 6: across month ends, Feb 29th and the year end",
    expression: "cron(0 12 ? * 6L *)",
    offsetDays: 6,
    from: "2028-01-01T00:00:00Z",
    until: "2029-01-10T00:00:00Z",
    runs: at(
      "12:00:00",
      ...["2028-02-03", "2028-03-02", "2028-04-06", "2028-05-04", "2028-06-01", "2028-07-06"],
      ...["2028-08-03", "2028-08-31", "2028-10-05", "2028-11-02", "2028-11-30", "2029-01-04"],
    ),
  },
  {
    name: "last Tuesday at midnight (AWS association example 3L), Feb 29th is one",
    expression: "cron(0 0 ? * 3L *)",
    ...YEAR_2028,
    runs: at(
      "00:00:00",
      ...["2028-01-25", "2028-02-29", "2028-03-28", "2028-04-25", "2028-05-30", "2028-06-27"],
      ...["2028-07-25", "2028-08-29", "2028-09-26", "2028-10-31", "2028-11-28", "2028-12-26"],
    ),
  },
  {
    name: "fifth Thursday: only the months that have one",
    expression: "cron(0 0 ? * 5#5 *)",
    ...YEAR_2028,
    runs: at("00:00:00", "2028-03-30", "2028-06-29", "2028-08-31", "2028-11-30"),
  },
  {
    name: "weekday nearest the 15th: Saturday moves to Friday, Sunday to Monday",
    expression: "cron(0 8 15W * ? *)",
    ...YEAR_2028,
    runs: at(
      "08:00:00",
      ...["2028-01-14", "2028-02-15", "2028-03-15", "2028-04-14", "2028-05-15", "2028-06-15"],
      ...["2028-07-14", "2028-08-15", "2028-09-15", "2028-10-16", "2028-11-15", "2028-12-15"],
    ),
  },
  {
    name: "1W: a Saturday 1st moves on to Monday the 3rd, never back into the month before",
    expression: "cron(0 8 1W * ? *)",
    ...YEAR_2028,
    runs: at(
      "08:00:00",
      ...["2028-01-03", "2028-02-01", "2028-03-01", "2028-04-03", "2028-05-01", "2028-06-01"],
      ...["2028-07-03", "2028-08-01", "2028-09-01", "2028-10-02", "2028-11-01", "2028-12-01"],
    ),
  },
  {
    name: "30W: a Sunday 30th that ends the month moves back to Friday; February has no 30th",
    expression: "cron(0 7 30W * ? *)",
    ...YEAR_2028,
    runs: at(
      "07:00:00",
      ...["2028-01-31", "2028-03-30", "2028-04-28", "2028-05-30", "2028-06-30", "2028-07-31"],
      ...["2028-08-30", "2028-09-29", "2028-10-30", "2028-11-30", "2028-12-29"],
    ),
  },
  {
    name: "LW: the last weekday of the month",
    expression: "cron(0 18 LW * ? *)",
    ...YEAR_2028,
    runs: at(
      "18:00:00",
      ...["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-28", "2028-05-31", "2028-06-30"],
      ...["2028-07-31", "2028-08-31", "2028-09-29", "2028-10-31", "2028-11-30", "2028-12-29"],
    ),
  },
  {
    name: "every Monday at 13:15 (AWS association example) across February's end",
    expression: "cron(15 13 ? * MON *)",
    from: "2028-02-01T00:00:00Z",
    until: "2028-03-07T00:00:00Z",
    runs: at("13:15:00", "2028-02-07", "2028-02-14", "2028-02-21", "2028-02-28", "2028-03-06"),
  },
  {
    name: "the year field: runs stop after 2029",
    expression: "cron(0 6 1 * ? 2028-2029)",
    from: "2029-07-15T00:00:00Z",
    until: "2031-01-01T00:00:00Z",
    runs: at("06:00:00", "2029-08-01", "2029-09-01", "2029-10-01", "2029-11-01", "2029-12-01"),
  },
  {
    name: "every 4 hours, the console's seven-field form, across Feb 29th",
    expression: "cron(0 0 0/4 1/1 * ? *)",
    from: "2028-02-29T13:00:00Z",
    until: "2028-03-01T09:00:00Z",
    runs: [
      "2028-02-29T16:00:00Z",
      "2028-02-29T20:00:00Z",
      "2028-03-01T00:00:00Z",
      "2028-03-01T04:00:00Z",
      "2028-03-01T08:00:00Z",
    ],
  },
  {
    name: "every 30 minutes (AWS association example) across midnight",
    expression: "cron(0/30 * * * ? *)",
    from: "2028-02-29T23:10:00Z",
    until: "2028-03-01T01:00:00Z",
    runs: ["2028-02-29T23:30:00Z", "2028-03-01T00:00:00Z", "2028-03-01T00:30:00Z", "2028-03-01T01:00:00Z"],
  },
  {
    name: "rate(15 days) from creation at 09:45, through Feb 29th",
    expression: "rate(15 days)",
    from: "2028-01-01T09:45:00Z",
    until: "2028-12-31T23:59:59Z",
    runs: at(
      "09:45:00",
      ...["2028-01-16", "2028-01-31", "2028-02-15", "2028-03-01", "2028-03-16", "2028-03-31"],
      ...["2028-04-15", "2028-04-30", "2028-05-15", "2028-05-30", "2028-06-14", "2028-06-29"],
      ...["2028-07-14", "2028-07-29", "2028-08-13", "2028-08-28", "2028-09-12", "2028-09-27"],
      ...["2028-10-12", "2028-10-27", "2028-11-11", "2028-11-26", "2028-12-11", "2028-12-26"],
    ),
  },
  {
    name: "rate(1 day) over Feb 29th",
    expression: "rate(1 day)",
    from: "2028-02-27T15:00:00Z",
    until: "2028-03-01T15:00:00Z",
    runs: at("15:00:00", "2028-02-28", "2028-02-29", "2028-03-01"),
  },
  {
    name: "rate(5 hours) over Feb 29th",
    expression: "rate(5 hours)",
    from: "2028-02-28T20:10:00Z",
    until: "2028-03-01T12:00:00Z",
    runs: [
      "2028-02-29T01:10:00Z",
      "2028-02-29T06:10:00Z",
      "2028-02-29T11:10:00Z",
      "2028-02-29T16:10:00Z",
      "2028-02-29T21:10:00Z",
      "2028-03-01T02:10:00Z",
      "2028-03-01T07:10:00Z",
    ],
  },
  {
    name: "rate(30 minutes) across the year end",
    expression: "rate(30 minutes)",
    from: "2028-12-31T22:50:00Z",
    until: "2029-01-01T01:00:00Z",
    runs: ["2028-12-31T23:20:00Z", "2028-12-31T23:50:00Z", "2029-01-01T00:20:00Z", "2029-01-01T00:50:00Z"],
  },
  {
    name: "at(...) on Feb 29th runs once",
    expression: "at(2028-02-29T12:00:00)",
    ...YEAR_2028,
    runs: ["2028-02-29T12:00:00Z"],
  },
  {
    // Followed from each run's cron time, not from the run: no cron day is skipped while an
    // offset run is pending.
    name: "a daily cron with ScheduleOffset 2 runs every day",
    expression: "cron(0 1 * * ? *)",
    offsetDays: 2,
    from: "2028-02-27T12:00:00Z",
    until: "2028-03-03T01:00:00Z",
    runs: at("01:00:00", "2028-03-01", "2028-03-02", "2028-03-03"),
  },
];

describe("run times over a simulated year, against hand-made tables", () => {
  it.each(table)("$expression: $name", ({ name: _name, runs, ...simulation }) => {
    expect(simulate(simulation)).toEqual(runs);
  });

  it("a scheduler ticking every minute finds the same runs as the table", () => {
    for (const row of table.filter((r) =>
      ["cron(0 12 ? * 6L *)", "rate(5 hours)", "cron(0 8 1W * ? *)"].includes(r.expression),
    )) {
      const { name: _name, runs, ...simulation } = row;
      expect(simulate({ ...simulation, mode: "minute" })).toEqual(runs);
    }
  });

  it("a cron day already past doesn't run at its offset (Reference: schedule offsets)", () => {
    // Created on Friday Jan 14th: Thursday Jan 13th was the second Thursday, so Sunday Jan 16th
    // doesn't run; the first run is the Sunday after February's second Thursday.
    const runs = simulate({
      expression: "cron(0 0 ? * THU#2 *)",
      offsetDays: 3,
      from: "2028-01-14T00:00:00Z",
      until: "2028-03-01T00:00:00Z",
    });
    expect(runs).toEqual(["2028-02-13T00:00:00Z"]);
  });
});
