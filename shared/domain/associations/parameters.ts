/**
 * Association parameters checked against the document's own parameter definitions: every name
 * must be defined, every parameter without a default must be given, and values must fit the
 * parameter's type, `allowedValues` and `allowedPattern`. Wording follows the errors AWS sends
 * (`Parameter "InstanceIds" requires a value.`, seen in aws/aws-cli#6878; the allowedValues and
 * type wording as StartAutomationExecution sends it).
 */
import { InvalidParameters } from "../../errors.ts";

type Definition = {
  type?: string;
  default?: unknown;
  allowedValues?: unknown[];
  allowedPattern?: string;
};

/** A value that references a parameter store value, resolved only when the association runs. */
const REFERENCE = /^\{\{\s*ssm(-secure)?:[^}]+\}\}$/;

export function validateParameters(
  definitions: Record<string, unknown> | undefined,
  given: Record<string, string[]> | undefined,
): void {
  const defined = (definitions ?? {}) as Record<string, Definition>;
  const values = given ?? {};
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(defined, name)) {
      throw new InvalidParameters(`Parameter "${name}" is not defined in the document.`);
    }
  }
  for (const [name, definition] of Object.entries(defined)) {
    const value = values[name];
    if (value === undefined) {
      if (definition?.default === undefined) throw new InvalidParameters(`Parameter "${name}" requires a value.`);
      continue;
    }
    checkValue(name, definition ?? {}, value);
  }
}

function checkValue(name: string, definition: Definition, value: string[]): void {
  const type = definition.type ?? "String";
  const single = type === "String" || type === "Integer" || type === "Boolean" || type === "StringMap";
  const typeError = () =>
    new InvalidParameters(`Parameter type error. The value supplied for ${name} is not a valid ${type}.`);
  if (single && value.length !== 1) throw typeError();
  for (const item of value) {
    if (REFERENCE.test(item)) continue;
    if (type === "Integer" && !/^-?\d+$/.test(item)) throw typeError();
    if (type === "Boolean" && item !== "true" && item !== "false") throw typeError();
    const allowed = definition.allowedValues?.map(String);
    if (allowed && !allowed.includes(item)) {
      throw new InvalidParameters(`Parameter "${name}" has value "${item}" not found in [${allowed.join(", ")}].`);
    }
    if (definition.allowedPattern && !matchesPattern(definition.allowedPattern, item)) {
      throw new InvalidParameters(
        `Parameter "${name}" has value "${item}" not matching the allowed pattern ${definition.allowedPattern}.`,
      );
    }
  }
}

function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    try {
      return new RegExp(pattern).test(value);
    } catch {
      return true;
    }
  }
}
