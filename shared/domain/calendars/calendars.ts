/**
 * Change Calendar's state, as GetCalendarState answers it and as an association's CalendarNames
 * gate its runs: the calendars read as documents (their default versions, owned or shared), then
 * evaluated at a time by ./calendar.ts, which carries the iCalendar parser and is loaded only here,
 * on first use (a function that never evaluates a calendar never compiles it).
 */
import type { GetCalendarStateRequest, GetCalendarStateResponse } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { ValidationException } from "../../errors.ts";
import type { DocumentReader } from "../documents/reader.ts";
import type { StateAt } from "./calendar.ts";

export type CalendarReader = Pick<DocumentReader, "calendarContent">;

export class ChangeCalendars {
  constructor(
    private readonly documents: CalendarReader,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * GetCalendarState: the calendars' combined state at AtTime (or now), the time it next changes,
   * and AtTime as the answer's ISO-8601 in UTC to the second, as AWS's published outputs write
   * both (`"AtTime": "2020-02-19T22:28:51Z"`, awscli/examples/ssm/get-calendar-state.rst).
   */
  async getCalendarState(scope: Scope, request: GetCalendarStateRequest): Promise<GetCalendarStateResponse> {
    const at = request.AtTime === undefined ? this.clock() : parseIsoTime(request.AtTime);
    const { state, next } = await this.stateOf(scope, request.CalendarNames ?? [], at);
    return {
      State: state,
      AtTime: isoSeconds(at),
      ...(next ? { NextTransitionTime: isoSeconds(next) } : {}),
    };
  }

  /**
   * The calendars' combined state at `at`: every document read at once (one batch), unless their
   * contents are known already, then evaluated. Refused as GetCalendarState refuses: InvalidDocument, InvalidDocumentType,
   * UnsupportedCalendarException.
   */
  async stateOf(scope: Scope, names: readonly string[], at: Date, known?: readonly string[]): Promise<StateAt> {
    const [contents, { ChangeCalendar, combinedState }] = await Promise.all([
      // One read per distinct name (a BatchGetItem refuses a key given twice).
      known ?? Promise.all([...new Set(names)].map((name) => this.documents.calendarContent(scope, name))),
      import("./calendar.ts"),
    ]);
    return combinedState(
      contents.map((content) => ChangeCalendar.read(content, at)),
      at,
    );
  }
}

/** `2020-07-19T21:15:19Z`: the form AWS answers times in (UTC, whole seconds). */
export const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/**
 * An ISO 8601 time as AtTime takes it: a date, or a date and time with `Z` or an offset, with or
 * without its colon (the user guide's example is `2020-07-30T11:05:14-0700`). Without a zone it
 * is UTC. Anything else is a ValidationException.
 */
export function parseIsoTime(value: string): Date {
  const match = value.match(
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i,
  );
  if (match) {
    const [, y = "", mo = "", d = "", h = "0", mi = "0", s = "0", fraction = "", zone = "Z"] = match;
    const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(fraction.padEnd(3, "0").slice(0, 3)));
    const sameDay = new Date(wall);
    const valid = sameDay.getUTCFullYear() === +y && sameDay.getUTCMonth() === +mo - 1 && sameDay.getUTCDate() === +d;
    if (valid && +h < 24 && +mi < 60 && +s < 60) {
      const offset = zone.toUpperCase() === "Z" ? 0 : offsetMinutes(zone);
      return new Date(wall - offset * 60_000);
    }
  }
  throw new ValidationException(`AtTime ${value} is not an ISO 8601 time.`);
}

function offsetMinutes(zone: string): number {
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  return zone.startsWith("-") ? -minutes : minutes;
}
