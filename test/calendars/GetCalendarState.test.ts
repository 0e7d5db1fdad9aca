/**
 * Change Calendar: ChangeCalendar documents (TEXT, iCalendar 2.0, versioned as any document) and
 * GetCalendarState, through the real handlers. The two published examples
 * (awscli/examples/ssm/get-calendar-state.rst) are answered by one calendar: DEFAULT_CLOSED with
 * one event that ends 2020-02-24T21:15:19Z, so it is OPEN on 19 February (and changes when the
 * event ends) and CLOSED in July with nothing after.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { calendarContent as calendar, calendarEvent as event } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const clock = { now: new Date("2020-02-19T22:28:51Z") };

const createCalendar = (Name: string, Content: string) =>
  call("CreateDocument", { Name, Content, DocumentType: "ChangeCalendar", DocumentFormat: "TEXT" });

const state = (CalendarNames: string[], AtTime?: string) =>
  call("GetCalendarState", { CalendarNames, ...(AtTime ? { AtTime } : {}) });

beforeAll(async () => {
  await freshTable({ clock: () => clock.now });
  await createCalendar(
    "MyCalendar",
    calendar("DEFAULT_CLOSED", event("window", ["DTSTART:20200201T000000Z", "DTEND:20200224T211519Z"])),
  );
});

describe("CreateDocument and UpdateDocument of a ChangeCalendar", () => {
  it("takes TEXT iCalendar content, described as ChangeCalendar in TEXT", async () => {
    const { Document } = await call("DescribeDocument", { Name: "MyCalendar" });
    expect(Document).toMatchObject({ Name: "MyCalendar", DocumentType: "ChangeCalendar", DocumentFormat: "TEXT" });
    const { Content, DocumentFormat } = await call("GetDocument", { Name: "MyCalendar" });
    expect(DocumentFormat).toBe("TEXT");
    expect(Content).toContain("X-CALENDAR-TYPE:DEFAULT_CLOSED");
  });

  it("refuses content that is not iCalendar, and a ChangeCalendar in JSON or YAML", async () => {
    const notICalendar = await fails("CreateDocument", {
      Name: "Broken",
      Content: "this is not a calendar",
      DocumentType: "ChangeCalendar",
      DocumentFormat: "TEXT",
    });
    expect(notICalendar.type).toBe("InvalidDocumentContent");
    const json = await fails("CreateDocument", {
      Name: "JsonCalendar",
      Content: '{"schemaVersion":"2.0"}',
      DocumentType: "ChangeCalendar",
      DocumentFormat: "JSON",
    });
    expect(json).toMatchObject({ type: "InvalidDocumentContent", message: expect.stringContaining("JSON") });
    expect((await fails("DescribeDocument", { Name: "Broken" })).type).toBe("InvalidDocument");
  });

  it("versions as any document: GetCalendarState reads the default version", async () => {
    await createCalendar("Versioned", calendar("DEFAULT_OPEN"));
    await call("UpdateDocument", {
      Name: "Versioned",
      Content: calendar("DEFAULT_CLOSED"),
      DocumentVersion: "$LATEST",
      DocumentFormat: "TEXT",
    });
    expect((await state(["Versioned"])).State).toBe("OPEN");
    await call("UpdateDocumentDefaultVersion", { Name: "Versioned", DocumentVersion: "2" });
    expect((await state(["Versioned"])).State).toBe("CLOSED");
    const bad = await fails("UpdateDocument", {
      Name: "Versioned",
      Content: "BEGIN:VCALENDAR",
      DocumentVersion: "$LATEST",
      DocumentFormat: "TEXT",
    });
    expect(bad.type).toBe("InvalidDocumentContent");
  });
});

describe("GetCalendarState", () => {
  it("AWS's example 1: the state now, and when it next changes", async () => {
    expect(await state(["MyCalendar"])).toEqual({
      State: "OPEN",
      AtTime: "2020-02-19T22:28:51Z",
      NextTransitionTime: "2020-02-24T21:15:19Z",
    });
  });

  it("AWS's example 2: the state at a time, with no transition after it", async () => {
    expect(await state(["MyCalendar"], "2020-07-19T21:15:19Z")).toEqual({
      State: "CLOSED",
      AtTime: "2020-07-19T21:15:19Z",
    });
  });

  it("takes the user guide's time form (an offset without its colon) and names by ARN", async () => {
    const arn = "arn:aws:ssm:us-east-1:000000000000:document/MyCalendar";
    expect(await state([arn], "2020-02-24T13:15:18-0800")).toEqual({
      State: "OPEN",
      AtTime: "2020-02-24T21:15:18Z",
      NextTransitionTime: "2020-02-24T21:15:19Z",
    });
  });

  it("several calendars: OPEN only if all are open; the next change of the whole", async () => {
    // Closed 01:00-03:00 and 02:00-05:00 on 1 March: the whole is closed 01:00-05:00.
    await createCalendar(
      "FreezeA",
      calendar("DEFAULT_OPEN", event("a", ["DTSTART:20200301T010000Z", "DTEND:20200301T030000Z"])),
    );
    await createCalendar(
      "FreezeB",
      calendar("DEFAULT_OPEN", event("b", ["DTSTART:20200301T020000Z", "DTEND:20200301T050000Z"])),
    );
    expect(await state(["FreezeA", "FreezeB"], "2020-03-01T00:00:00Z")).toMatchObject({
      State: "OPEN",
      NextTransitionTime: "2020-03-01T01:00:00Z",
    });
    expect(await state(["FreezeA", "FreezeB"], "2020-03-01T02:30:00Z")).toMatchObject({
      State: "CLOSED",
      NextTransitionTime: "2020-03-01T05:00:00Z",
    });
    expect((await state(["FreezeA", "MyCalendar"], "2020-02-20T00:00:00Z")).State).toBe("OPEN");
    expect((await state(["FreezeA", "MyCalendar"], "2020-03-01T00:00:00Z")).State).toBe("CLOSED");
  });

  it("recurring events in a named zone: a weekly Friday freeze in Los Angeles time, one date excluded", async () => {
    await createCalendar(
      "Fridays",
      calendar(
        "DEFAULT_OPEN",
        event("fridays", [
          "DTSTART;TZID=America/Los_Angeles:20200306T090000",
          "DTEND;TZID=America/Los_Angeles:20200306T170000",
          "RRULE:FREQ=WEEKLY;BYDAY=FR",
          "EXDATE;TZID=America/Los_Angeles:20200320T090000",
        ]),
      ),
    );
    // 6 March is PST (UTC-8): 17:00Z to 01:00Z; 13 March is PDT (UTC-7): 16:00Z to 00:00Z.
    expect(await state(["Fridays"], "2020-03-06T16:59:59Z")).toMatchObject({
      State: "OPEN",
      NextTransitionTime: "2020-03-06T17:00:00Z",
    });
    expect(await state(["Fridays"], "2020-03-13T20:00:00Z")).toMatchObject({
      State: "CLOSED",
      NextTransitionTime: "2020-03-14T00:00:00Z",
    });
    // 20 March is excluded: the next freeze after the 13th is the 27th.
    expect(await state(["Fridays"], "2020-03-14T00:00:00Z")).toMatchObject({
      State: "OPEN",
      NextTransitionTime: "2020-03-27T16:00:00Z",
    });
  });

  it("refuses as the model lists: InvalidDocument, InvalidDocumentType, UnsupportedCalendarException", async () => {
    expect((await fails("GetCalendarState", { CalendarNames: ["NoSuchCalendar"] })).type).toBe("InvalidDocument");
    expect((await fails("GetCalendarState", { CalendarNames: ["AWS-RunShellScript"] })).type).toBe(
      "InvalidDocumentType",
    );
    await createCalendar("Untyped", calendar("DEFAULT_OPEN").replace("X-CALENDAR-TYPE:DEFAULT_OPEN\r\n", ""));
    expect((await fails("GetCalendarState", { CalendarNames: ["Untyped"] })).type).toBe("UnsupportedCalendarException");
    expect((await fails("GetCalendarState", { CalendarNames: ["MyCalendar"], AtTime: "yesterday" })).type).toBe(
      "ValidationException",
    );
  });
});
