/**
 * Request validation driven by the generated service model, in two passes as AWS does them:
 * 1. shape: each member must have the JSON type its shape declares, or the request cannot be
 *    deserialized at all (`SerializationException`);
 * 2. constraints: required, length, pattern, enum and range, all collected and reported together
 *    in Coral's wording (`ValidationException: 2 validation errors detected: ...; ...`).
 * Unknown members are ignored, as AWS's JSON 1.1 deserializer ignores them.
 */
import { SerializationException, ValidationException } from "../errors.ts";
import { operations, shapes } from "./generated/ssm-model.ts";
import type { ModelShape } from "./model-types.ts";

type Json = unknown;

/** Validates `input` against the model's input shape of `operation`; returns it typed as `T`. */
export function validateInput<T>(operation: string, input: Json): T {
  const inputShape = operations[operation]?.input;
  if (!inputShape) return input as T;
  checkTypes(inputShape, input, "");
  const problems: string[] = [];
  checkConstraints(inputShape, input, "", problems);
  if (problems.length > 0) throw new ValidationException(formatProblems(problems));
  return input as T;
}

export function formatProblems(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
}

function shapeOf(name: string): ModelShape {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown model shape ${name}`);
  return shape;
}

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Coral names members in lower camel case, lists by 1-based index: `targets.1.member.key`. */
function memberPath(parent: string, member: string): string {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${camel}` : camel;
}

/**
 * Coral's deserializer messages for a member of the wrong JSON type, as AWS sends them
 * (they name Java classes; clients only show them).
 */
function wrongType(
  value: Json,
  expected: "structure" | "list" | "map" | "String" | "Integer" | "Double" | "Boolean" | "Timestamp",
): never {
  if (Array.isArray(value)) throw new SerializationException("Start of list found where not expected");
  if (isObject(value)) throw new SerializationException("Start of structure or map found where not expected.");
  if (expected === "list") throw new SerializationException("Expected list or null");
  if (expected === "map") throw new SerializationException("Expected map or null");
  if (expected === "structure") throw new SerializationException("Expected null");
  const javaClass =
    typeof value === "number"
      ? "com.amazon.coral.value.json.numbers.TruncatingBigNumber"
      : typeof value === "boolean"
        ? "java.lang.Boolean"
        : "java.lang.String";
  throw new SerializationException(`class ${javaClass} can not be converted to an ${expected}`);
}

function checkTypes(shapeName: string, value: Json, path: string): void {
  if (value === null || value === undefined) return;
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case "structure":
      if (!isObject(value)) wrongType(value, "structure");
      for (const [member, memberShape] of Object.entries(shape.members)) {
        checkTypes(memberShape, value[member], memberPath(path, member));
      }
      return;
    case "list":
      if (!Array.isArray(value)) wrongType(value, "list");
      for (const [index, item] of value.entries()) checkTypes(shape.member, item, `${path}.${index + 1}.member`);
      return;
    case "map":
      if (!isObject(value)) wrongType(value, "map");
      for (const [key, item] of Object.entries(value)) checkTypes(shape.value, item, `${path}.${key}`);
      return;
    case "string":
      if (typeof value !== "string") wrongType(value, "String");
      return;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) wrongType(value, "Integer");
      return;
    case "double":
    case "float":
      if (typeof value !== "number") wrongType(value, "Double");
      return;
    case "boolean":
      if (typeof value !== "boolean") wrongType(value, "Boolean");
      return;
    case "timestamp":
      if (typeof value !== "number" && typeof value !== "string") wrongType(value, "Timestamp");
      return;
    case "blob":
      if (typeof value !== "string") wrongType(value, "String");
      return;
  }
}

/** Renders a value as Coral does in messages: Java's toString, quoted. */
function render(value: Json): string {
  if (value === null || value === undefined) return "null";
  return `'${javaString(value)}'`;
}

function javaString(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(javaString).join(", ")}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${javaString(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function problem(value: Json, path: string, constraint: string): string {
  return `Value ${render(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

function checkConstraints(shapeName: string, value: Json, path: string, problems: string[]): void {
  const shape = shapeOf(shapeName);
  if (value === null || value === undefined) return;
  switch (shape.type) {
    case "structure": {
      const object = value as Record<string, Json>;
      for (const [member, memberShape] of Object.entries(shape.members)) {
        const memberValue = object[member];
        const at = memberPath(path, member);
        if ((memberValue === null || memberValue === undefined) && shape.required?.includes(member)) {
          problems.push(problem(null, at, "Member must not be null"));
          continue;
        }
        checkConstraints(memberShape, memberValue, at, problems);
      }
      return;
    }
    case "list": {
      const list = value as Json[];
      checkLength(list.length, value, path, shape, problems);
      list.forEach((item, index) => {
        const at = `${path}.${index + 1}.member`;
        if (item === null) problems.push(problem(null, at, "Member must not be null"));
        else checkConstraints(shape.member, item, at, problems);
      });
      return;
    }
    case "map": {
      const map = value as Record<string, Json>;
      checkLength(Object.keys(map).length, value, path, shape, problems);
      for (const [key, item] of Object.entries(map)) {
        checkConstraints(shape.key, key, path, problems);
        checkConstraints(shape.value, item, `${path}.${key}.member`, problems);
      }
      return;
    }
    case "string": {
      const text = value as string;
      checkLength(codePointLength(text), value, path, shape, problems);
      if (shape.enum && !shape.enum.includes(text)) {
        problems.push(problem(value, path, `Member must satisfy enum value set: [${shape.enum.join(", ")}]`));
      }
      if (shape.pattern && !compilePattern(shape.pattern).test(text)) {
        problems.push(problem(value, path, `Member must satisfy regular expression pattern: ${shape.pattern}`));
      }
      return;
    }
    case "integer":
    case "long":
    case "double":
    case "float": {
      const number = value as number;
      if (shape.min !== undefined && number < shape.min) {
        problems.push(problem(value, path, `Member must have value greater than or equal to ${shape.min}`));
      }
      if (shape.max !== undefined && number > shape.max) {
        problems.push(problem(value, path, `Member must have value less than or equal to ${shape.max}`));
      }
      return;
    }
    default:
      return;
  }
}

function checkLength(
  length: number,
  value: Json,
  path: string,
  shape: { min?: number; max?: number },
  problems: string[],
): void {
  if (shape.min !== undefined && length < shape.min) {
    problems.push(problem(value, path, `Member must have length greater than or equal to ${shape.min}`));
  }
  if (shape.max !== undefined && length > shape.max) {
    problems.push(problem(value, path, `Member must have length less than or equal to ${shape.max}`));
  }
}

/** Java counts UTF-16 units, but AWS documents lengths in characters; code points match both for BMP text. */
function codePointLength(text: string): number {
  return [...text].length;
}

const compiled = new Map<string, RegExp>();

/**
 * Model patterns are Java regular expressions, matched with find() semantics (not implicitly
 * anchored, as Smithy specifies). They are translated once: an inline `(?i)` becomes the `i` flag,
 * and escapes JavaScript's unicode mode refuses (`\:`) lose their needless backslash.
 */
export function compilePattern(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = "u";
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    flags += "i";
  }
  source = source.replace(/\\([^\w\s\\^$.*+?()[\]{}|/-])/g, "$1");
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch {
    regex = new RegExp(source, flags.replace("u", ""));
  }
  compiled.set(pattern, regex);
  return regex;
}
