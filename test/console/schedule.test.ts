/**
 * The console's schedule preview (console/src/schedule.ts): next run times of rate, cron and at
 * expressions in UTC, with cron as the Systems Manager user guide defines it ("Reference: Cron
 * and rate expressions for Systems Manager": six fields, day-of-week 1-7 = SUN-SAT, L, W, #).
 */
import { describe, expect, it } from "vitest";
import { describeRun, previewSchedule } from "../../console/src/schedule.ts";

const FROM = new Date("2026-11-25T22:07:30Z"); // a Wednesday
const iso = (expression: string, count = 5) => {
  const preview = previewSchedule(expression, FROM, count);
  if (preview.error !== undefined) throw new Error(preview.error);
  return preview.next.map((d) => d.toISOString().slice(0, 16));
};

describe("the schedule preview", () => {
  it("counts rates from now", () => {
    expect(iso("rate(30 minutes)", 2)).toEqual(["2026-11-25T22:37", "2026-11-25T23:07"]);
    expect(iso("rate(1 day)", 1)).toEqual(["2026-11-26T22:07"]);
    expect(previewSchedule("rate(2 hours)", FROM)).toMatchObject({ summary: expect.stringMatching(/^Every 2 hours/) });
  });

  it("finds the next five runs of the user guide's example cron(0 2 ? * SUN *) (Sundays 02:00 UTC)", () => {
    expect(iso("cron(0 2 ? * SUN *)")).toEqual([
      "2026-11-29T02:00",
      "2026-12-06T02:00",
      "2026-12-13T02:00",
      "2026-12-20T02:00",
      "2026-12-27T02:00",
    ]);
    expect(iso("cron(0 2 ? * 1 *)")).toEqual(iso("cron(0 2 ? * SUN *)"));
    expect(previewSchedule("cron(0 2 ? * SUN *)", FROM)).toMatchObject({ summary: "At 02:00 UTC, on Sunday" });
  });

  it("handles steps, ranges, lists, the optional seconds field, and months", () => {
    expect(iso("cron(0/30 * * * ? *)", 3)).toEqual(["2026-11-25T22:30", "2026-11-25T23:00", "2026-11-25T23:30"]);
    expect(iso("cron(0 0/30 * * * ? *)", 3)).toEqual(iso("cron(0/30 * * * ? *)", 3));
    expect(iso("cron(15 10 ? * MON-FRI *)", 3)).toEqual(["2026-11-26T10:15", "2026-11-27T10:15", "2026-11-30T10:15"]);
    expect(iso("cron(0 15 10 1,6 ? *)", 2)).toEqual(["2027-01-10T15:00", "2027-06-10T15:00"]);
    expect(iso("cron(0 0 10 15 * ? *)", 1)).toEqual(["2026-12-15T10:00"]);
  });

  it("handles L, W and # in the day fields", () => {
    expect(iso("cron(0 9 L * ? *)", 2)).toEqual(["2026-11-30T09:00", "2026-12-31T09:00"]);
    // The last Friday (6L) and the second Tuesday (3#2) of the month.
    expect(iso("cron(0 9 ? * 6L *)", 2)).toEqual(["2026-11-27T09:00", "2026-12-25T09:00"]);
    expect(iso("cron(0 9 ? * 3#2 *)", 2)).toEqual(["2026-12-08T09:00", "2027-01-12T09:00"]);
    // 1W in August 2027: the 1st is a Sunday, so the nearest weekday is Monday the 2nd.
    expect(iso("cron(0 9 1W 8 ? 2027)", 1)).toEqual(["2027-08-02T09:00"]);
  });

  it("runs an at() once, and not at all when it is past", () => {
    expect(iso("at(2026-12-01T08:00:00)")).toEqual(["2026-12-01T08:00"]);
    expect(iso("at(2020-01-01T00:00:00)")).toEqual([]);
  });

  it("answers an error, not a guess, for what it cannot read", () => {
    for (const bad of ["cron(0 2 * * * *)", "cron(0 2 ? * *)", "cron(61 2 ? * SUN *)", "every day", "rate(soon)"]) {
      expect(previewSchedule(bad, FROM).error, bad).toEqual(expect.any(String));
    }
  });

  it("says when a run is, in words", () => {
    expect(describeRun(new Date("2026-11-29T02:00:00Z"), FROM)).toBe("Sun 29 Nov 2026, 02:00 UTC (in 3 days)");
    expect(describeRun(new Date("2026-11-25T22:37:30Z"), FROM)).toBe("Wed 25 Nov 2026, 22:37 UTC (in 30 minutes)");
  });
});
