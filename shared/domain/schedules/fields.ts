/**
 * One cron field's list syntax, as the AWS cron reference table defines it: values, names,
 * `*`, ranges `a-b`, lists `a,b` and increments `a/n`, `*\/n`, `a-b/n`. The day fields' special
 * characters (`?`, `L`, `W`, `#`) are handled by cron.ts before it comes here.
 */
import { invalidSchedule, messages } from "./messages.ts";

export interface FieldSpec {
  /** The field's name as the AWS reference writes it, for messages. */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names for `min`, `min + 1`, ... (JAN-DEC, SUN-SAT), matched case-insensitively. */
  readonly names?: readonly string[];
  /** The `/` wildcard; the AWS table doesn't list it for Day-of-week. */
  readonly steps: boolean;
}

const ELEMENT = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/;

function fail(spec: FieldSpec, text: string, why: string): never {
  throw invalidSchedule(messages.cronField(spec.name, text, why));
}

/** A single value of the field: a number in range or one of its names. */
export function fieldValue(spec: FieldSpec, token: string, text = token): number {
  let value: number;
  if (/^\d+$/.test(token)) value = Number(token);
  else {
    const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
    if (index < 0) fail(spec, text, `'${token}' is not a value of this field.`);
    value = spec.min + index;
  }
  if (value < spec.min || value > spec.max) fail(spec, text, `values are ${spec.min}-${spec.max}.`);
  return value;
}

/** The sorted, distinct values a list expression selects. */
export function fieldValues(spec: FieldSpec, text: string): number[] {
  const selected = new Set<number>();
  for (const element of text.split(",")) {
    const match = element.match(ELEMENT);
    if (!match) fail(spec, text, `'${element}' is not a value, range, list or increment.`);
    const [, base = "", stepText] = match;
    if (stepText !== undefined && !spec.steps) fail(spec, text, "this field doesn't support the / wildcard.");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) fail(spec, text, "an increment must be at least 1.");
    let from: number;
    let to: number;
    if (base === "*") [from, to] = [spec.min, spec.max];
    else if (base.includes("-")) {
      const [low = "", high = ""] = base.split("-");
      [from, to] = [fieldValue(spec, low, text), fieldValue(spec, high, text)];
      // Reversed (wrapping) ranges such as FRI-MON aren't documented by AWS; refuse them clearly.
      if (from > to) fail(spec, text, `the range '${base}' must go from the lower to the higher value.`);
    } else {
      from = fieldValue(spec, base, text);
      // `a/n` starts at a and steps to the end of the field (EventBridge's `1/10` example).
      to = stepText === undefined ? from : spec.max;
    }
    for (let value = from; value <= to; value += step) selected.add(value);
  }
  return [...selected].sort((a, b) => a - b);
}
