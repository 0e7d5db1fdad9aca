/**
 * Timestamps between the wire and the store: JSON 1.1 carries them as epoch seconds (clients may
 * also send ISO-8601 strings); records keep ISO-8601 strings.
 */
import { ValidationException } from "../errors.ts";

/** A wire timestamp as a date; refuses one that is not a time. */
export function wireDate(value: number | string | Date): Date {
  const date = value instanceof Date ? value : new Date(typeof value === "number" ? value * 1000 : value);
  if (Number.isNaN(date.getTime())) throw new ValidationException(`The timestamp ${String(value)} is not valid.`);
  return date;
}

/** A wire timestamp as the ISO-8601 string a record keeps. */
export const wireIso = (value: number | string | Date): string => wireDate(value).toISOString();

/** A stored ISO-8601 string as a date for the wire; absent stays absent. */
export const dateOf = (iso: string | undefined): Date | undefined => (iso ? new Date(iso) : undefined);
