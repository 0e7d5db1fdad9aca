/**
 * A Change Calendar's content, read: the iCalendar 2.0 text of a `ChangeCalendar` document, as
 * AWS's Change Calendar user guide describes it. `X-CALENDAR-TYPE` says what the calendar is
 * without events: `DEFAULT_OPEN` ("actions can run by default, but are blocked from running
 * during associated events. During events, the state of a DEFAULT_OPEN calendar is CLOSED") or
 * `DEFAULT_CLOSED` (the reverse: OPEN during events). Events are VEVENTs, recurring ones
 * included (RRULE, RDATE, EXDATE, and RECURRENCE-ID overrides), expanded by ical.js; VTODOs (the
 * console's "Add events to this calendar." placeholder) say nothing.
 *
 * This module carries the iCalendar parser: the services load it with a dynamic import, only when
 * a calendar is read (a ChangeCalendar document written, GetCalendarState, an association with
 * CalendarNames started), so no other path compiles it.
 */
import ICAL from "ical.js";
import { InvalidDocumentContent, UnsupportedCalendarException } from "../../errors.ts";
import { isKnownZone, wallTimeToInstant } from "./zones.ts";

export type CalendarState = "OPEN" | "CLOSED";
export type CalendarType = "DEFAULT_OPEN" | "DEFAULT_CLOSED";

/** How far ahead a next transition is looked for: past it, the state is taken to stay. */
const HORIZON_MS = 10 * 366 * 86_400_000;
/** Occurrences expanded per event at most (a FREQ=MINUTELY rule from years ago stops here). */
const MAX_OCCURRENCES = 100_000;

type Interval = { start: number; end: number };

/** A state at an instant, and when it changes next (none within the horizon: it stays). */
export type StateAt = { state: CalendarState; next?: Date };

/**
 * Parses iCalendar text into its VCALENDAR, or refuses it as a ChangeCalendar document's
 * content (CreateDocument, UpdateDocument): `InvalidDocumentContent`.
 */
function parseVCalendar(content: string): ICAL.Component {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(content));
  } catch (error) {
    throw new InvalidDocumentContent(`The calendar content is not valid iCalendar: ${(error as Error).message}`);
  }
  if (root.name !== "vcalendar") {
    throw new InvalidDocumentContent("The calendar content must be one iCalendar VCALENDAR object.");
  }
  return root;
}

/** Checks a ChangeCalendar document's content where it is written. */
export function checkCalendarContent(content: string): void {
  parseVCalendar(content);
}

export class ChangeCalendar {
  private constructor(
    readonly type: CalendarType,
    /** Every event occurrence within reach, merged where they touch or overlap, in order. */
    private readonly events: Interval[],
  ) {}

  /**
   * The calendar a document's content describes, with its events expanded from `from` to the
   * horizon after it. Content the service can't evaluate (no or an unknown X-CALENDAR-TYPE, an
   * event without a start) is `UnsupportedCalendarException`, GetCalendarState's error for it.
   */
  static read(content: string, from: Date): ChangeCalendar {
    let root: ICAL.Component;
    try {
      root = parseVCalendar(content);
    } catch (error) {
      throw unsupported((error as Error).message);
    }
    const type = root.getFirstPropertyValue("x-calendar-type");
    if (type !== "DEFAULT_OPEN" && type !== "DEFAULT_CLOSED") {
      throw unsupported("X-CALENDAR-TYPE must be DEFAULT_OPEN or DEFAULT_CLOSED.");
    }
    const wrZone = root.getFirstPropertyValue("x-wr-timezone");
    const defaultZone = typeof wrZone === "string" ? wrZone : undefined;
    const until = from.getTime() + HORIZON_MS;
    const intervals: Interval[] = [];
    try {
      for (const component of root.getAllSubcomponents("vevent")) {
        // A RECURRENCE-ID override belongs to its series (ical.js relates it by UID).
        if (component.hasProperty("recurrence-id")) continue;
        intervals.push(...occurrences(new ICAL.Event(component), from.getTime(), until, defaultZone));
      }
    } catch (error) {
      if (error instanceof UnsupportedCalendarException) throw error;
      throw unsupported((error as Error).message);
    }
    return new ChangeCalendar(type, merge(intervals));
  }

  /** The state at `at` and the next time it changes (GetCalendarState of one calendar). */
  stateAt(at: Date): StateAt {
    const t = at.getTime();
    const during = this.events.find((event) => event.start <= t && t < event.end);
    const inEvent = during !== undefined;
    const state: CalendarState = (this.type === "DEFAULT_OPEN") === inEvent ? "CLOSED" : "OPEN";
    const next = during ? during.end : this.events.find((event) => event.start > t)?.start;
    return { state, ...(next !== undefined && Number.isFinite(next) ? { next: new Date(next) } : {}) };
  }
}

/**
 * Several calendars at once: "OPEN only if all calendars in the request are open. If one or more
 * calendars in the request are closed, the status returned is CLOSED" (GetCalendarState). The
 * next transition is the first time that combined state changes.
 */
export function combinedState(calendars: readonly ChangeCalendar[], at: Date): StateAt {
  const combine = (t: Date) => {
    const states = calendars.map((calendar) => calendar.stateAt(t));
    const state: CalendarState = states.every((s) => s.state === "OPEN") ? "OPEN" : "CLOSED";
    const nexts = states.flatMap((s) => (s.next ? [s.next.getTime()] : []));
    return { state, next: nexts.length > 0 ? Math.min(...nexts) : undefined };
  };
  const now = combine(at);
  let next = now.next;
  // A change in one calendar may leave the whole as it was (another one still CLOSED): go on
  // to the next change, bounded by how many changes the calendars hold.
  for (let guard = 0; next !== undefined && guard < 100_000; guard++) {
    const then = combine(new Date(next));
    if (then.state !== now.state) return { state: now.state, next: new Date(next) };
    next = then.next;
  }
  return { state: now.state };
}

/** The event's occurrences that end after `from` and start before `until`, as instants. */
function occurrences(event: ICAL.Event, from: number, until: number, defaultZone?: string): Interval[] {
  if (!event.component.hasProperty("dtstart")) throw unsupported(`Event ${event.uid ?? ""} has no DTSTART.`);
  const found: Interval[] = [];
  const expansion = event.iterator();
  for (let count = 0; count < MAX_OCCURRENCES; count++) {
    const next = expansion.next();
    if (!next) break;
    const details = event.getOccurrenceDetails(next);
    const start = instantOf(details.startDate, zoneOf(details.item, "dtstart", defaultZone));
    if (start >= until) break;
    const end = instantOf(
      details.endDate,
      zoneOf(details.item, "dtend", defaultZone) ?? zoneOf(details.item, "dtstart", defaultZone),
    );
    if (end > from && end > start) found.push({ start, end });
    if (!event.isRecurring()) break;
  }
  return found;
}

/** The TZID a DTSTART or DTEND names (or the calendar's X-WR-TIMEZONE for floating times). */
function zoneOf(event: ICAL.Event, property: "dtstart" | "dtend", defaultZone?: string): string | undefined {
  const tzid = event.component.getFirstProperty(property)?.getParameter("tzid");
  return typeof tzid === "string" ? tzid : defaultZone;
}

/**
 * An occurrence's time as an instant: UTC and zones the calendar defines (VTIMEZONE) as ical.js
 * resolves them; a zone only named is resolved with Node's zone rules (./zones.ts); a floating
 * time or a date in no known zone is taken as UTC.
 */
function instantOf(time: ICAL.Time, tzid: string | undefined): number {
  const zone = time.zone?.tzid;
  if (zone && zone !== "floating") return time.toUnixTime() * 1000;
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  return tzid && isKnownZone(tzid) ? wallTimeToInstant(wall, tzid) : wall;
}

/** Intervals in order, those that overlap or touch made one: a state changes only at their ends. */
function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

const unsupported = (detail: string) =>
  new UnsupportedCalendarException(
    `The calendar entry contained in the specified SSM document isn't supported. ${detail}`.trim(),
  );
