/**
 * Timestamps between the store and the wire: records keep ISO-8601 strings. Incoming wire
 * timestamps (epoch seconds) are parsed once, into Dates, by validation
 * (shared/validation/validate.ts), so the domain only ever sees Dates.
 */

/** A stored ISO-8601 string as a date for the wire; absent stays absent. */
export const dateOf = (iso: string | undefined): Date | undefined => (iso ? new Date(iso) : undefined);
