/**
 * A wall-clock time in a named time zone, as an instant. A Change Calendar's events name their
 * zone by TZID (`DTSTART;TZID=America/Los_Angeles:20200320T090000`, as the console writes them);
 * a calendar that carries the zone's VTIMEZONE is resolved by the iCalendar parser itself, and one
 * that only names an IANA zone is resolved here, with the zone rules Node.js ships (Intl).
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let found = formatters.get(zone);
  if (found === undefined) {
    try {
      found = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      found = null;
    }
    formatters.set(zone, found);
  }
  return found;
}

/** Whether Node.js knows the zone by this name (an IANA name such as Europe/Paris). */
export const isKnownZone = (zone: string): boolean => formatter(zone) !== null;

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(zone: Intl.DateTimeFormat, instant: number): number {
  const parts = Object.fromEntries(zone.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time (given as if it were UTC, `Date.UTC(...)`) names in the zone.
 * A time a spring-forward skips is read with the offset before the change, as RFC 5545 says
 * (3.3.5: "the DATE-TIME value ... is interpreted using the UTC offset before the gap").
 */
export function wallTimeToInstant(wall: number, zone: string): number {
  const rules = formatter(zone);
  if (!rules) return wall;
  const before = offsetAt(rules, wall - 86_400_000);
  const guess = wall - offsetAt(rules, wall - offsetAt(rules, wall));
  // In a gap, no instant shows this wall time: take the offset from before the change.
  return offsetAt(rules, guess) + guess === wall ? guess : wall - before;
}
