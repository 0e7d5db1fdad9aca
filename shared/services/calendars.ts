/** Change Calendar's state (GetCalendarState, an association's CalendarNames): a part of the runtime (runtime.ts). */
import { ChangeCalendars } from "../domain/calendars/calendars.ts";
import { documentReader } from "./document-reader.ts";
import type { Runtime } from "./runtime.ts";

export const changeCalendars = (r: Runtime) => new ChangeCalendars(r.get(documentReader), r.options.clock);
