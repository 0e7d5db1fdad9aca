/**
 * Request validation driven by the generated service model, in two passes as AWS does them:
 * 1. shape: each member must have the JSON type its shape declares, or the request cannot be
 *    deserialized at all (`SerializationException`);
 * 2. constraints: required, length, pattern, enum and range, all collected and reported together
 *    in Coral's wording (`ValidationException: 2 validation errors detected: ...; ...`).
 *
 * The first pass also builds the request the operation sees: a fresh copy holding the model's
 * members only, at every depth. Unknown members are dropped, as AWS's JSON 1.1 deserializer
 * ignores them, so nothing a client invents (`""`, `__proto__`, `constructor`, a value nested
 * thousands of levels deep) is ever stored, echoed back or walked by domain code. Timestamps are
 * parsed here, once: the wire's epoch seconds become a `Date`.
 */
import { SerializationException, ValidationException } from "../errors.ts";
import type { ModelShape, OperationModel } from "./model-types.ts";
import { serviceLimits } from "./service-limits.ts";

type Json = unknown;

type Shapes = OperationModel["shapes"];

/**
 * Validates `input` against the input shape of `operation` (its generated module,
 * generated/operations/<Operation>.ts, which holds only the shapes that input reaches); returns a
 * copy of it with only the model's members, timestamps as `Date`, typed as `T`.
 */
export function validateInput<T>(operation: OperationModel, input: Json): T {
  const { input: inputShape, shapes } = operation;
  if (!inputShape) return {} as T;
  const request = readValue(shapes, inputShape, input, "") ?? {};
  const problems: string[] = [];
  checkConstraints(shapes, inputShape, request, "", problems);
  if (problems.length > 0) throw new ValidationException(formatProblems(problems));
  return request as T;
}

export function formatProblems(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
}

/** Keyed by name: every operation's module copies its shapes from the one service model. */
const limited = new Map<string, ModelShape>();

/** A model shape, with AWS's lower documented limits (service-limits.ts) applied over it. */
function shapeOf(shapes: Shapes, name: string): ModelShape {
  const cached = limited.get(name);
  if (cached) return cached;
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown model shape ${name}`);
  const merged = { ...shape, ...serviceLimits[name] } as ModelShape;
  limited.set(name, merged);
  return merged;
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
  // Coral reads a timestamp from a number only; a string is not converted.
  if (expected === "Timestamp" && typeof value === "string") {
    throw new SerializationException("class java.lang.String can not be converted to milliseconds since epoch");
  }
  const javaClass =
    typeof value === "number"
      ? "com.amazon.coral.value.json.numbers.TruncatingBigNumber"
      : typeof value === "boolean"
        ? "java.lang.Boolean"
        : "java.lang.String";
  throw new SerializationException(`class ${javaClass} can not be converted to an ${expected}`);
}

/**
 * The earliest and latest instants a timestamp may name: years 1 to 9999, which every client
 * can represent and whose ISO strings keep four-digit years (so stored dates sort as text).
 * JavaScript's own range (±8.64e15 ms) is wider; Java's and DynamoDB's uses are narrower.
 */
const MIN_EPOCH_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_EPOCH_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/** Timestamps the protocol can carry but no date can hold, reported with the constraint problems. */
const OUT_OF_RANGE = Symbol("timestamp out of range");
type OutOfRange = { [OUT_OF_RANGE]: number };
const isOutOfRange = (value: Json): value is OutOfRange =>
  typeof value === "object" && value !== null && OUT_OF_RANGE in value;

/**
 * Pass 1: checks each member's JSON type and returns a copy built from the model's members only.
 * Absent and null members are left out; null list items are kept for pass 2 to report.
 * Recursion follows the model's shapes, never the input's, so input depth cannot exhaust it.
 */
function readValue(shapes: Shapes, shapeName: string, value: Json, path: string): Json {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(shapes, shapeName);
  switch (shape.type) {
    case "structure": {
      if (!isObject(value)) wrongType(value, "structure");
      const out: Record<string, Json> = {};
      for (const [member, memberShape] of Object.entries(shape.members)) {
        if (!Object.hasOwn(value, member)) continue;
        const read = readValue(shapes, memberShape, value[member], memberPath(path, member));
        if (read !== undefined) out[member] = read;
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) wrongType(value, "list");
      return value.map((item, index) =>
        item === null ? null : readValue(shapes, shape.member, item, `${path}.${index + 1}.member`),
      );
    case "map": {
      if (!isObject(value)) wrongType(value, "map");
      // Keys are the client's: a prototype-free object, filled by defineProperty, so a key named
      // `__proto__` is data like any other.
      const out: Record<string, Json> = Object.create(null);
      for (const [key, item] of Object.entries(value)) {
        const read = item === null ? null : readValue(shapes, shape.value, item, `${path}.${key}`);
        Object.defineProperty(out, key, { value: read, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") wrongType(value, "String");
      return value;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) wrongType(value, "Integer");
      return value;
    case "double":
    case "float":
      if (typeof value !== "number") wrongType(value, "Double");
      return value;
    case "boolean":
      if (typeof value !== "boolean") wrongType(value, "Boolean");
      return value;
    case "timestamp":
      return readTimestamp(value);
    case "blob":
      if (typeof value !== "string") wrongType(value, "String");
      return value;
  }
}

/**
 * JSON 1.1 sends timestamps as epoch seconds, a JSON number (fractions allowed). Anything else
 * cannot be deserialized; a number no date can hold is kept aside for pass 2 to report.
 */
function readTimestamp(value: Json): Date | OutOfRange {
  if (typeof value !== "number") wrongType(value, "Timestamp");
  if (!Number.isFinite(value) || value < MIN_EPOCH_SECONDS || value > MAX_EPOCH_SECONDS) {
    return { [OUT_OF_RANGE]: value };
  }
  return new Date(value * 1000);
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

function checkConstraints(shapes: Shapes, shapeName: string, value: Json, path: string, problems: string[]): void {
  const shape = shapeOf(shapes, shapeName);
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
        checkConstraints(shapes, memberShape, memberValue, at, problems);
      }
      return;
    }
    case "list": {
      const list = value as Json[];
      checkLength(list.length, value, path, shape, problems);
      list.forEach((item, index) => {
        const at = `${path}.${index + 1}.member`;
        if (item === null) problems.push(problem(null, at, "Member must not be null"));
        else checkConstraints(shapes, shape.member, item, at, problems);
      });
      return;
    }
    case "map": {
      const map = value as Record<string, Json>;
      checkLength(Object.keys(map).length, value, path, shape, problems);
      for (const [key, item] of Object.entries(map)) {
        checkConstraints(shapes, shape.key, key, path, problems);
        if (item === null) problems.push(problem(null, `${path}.${key}.member`, "Member must not be null"));
        else checkConstraints(shapes, shape.value, item, `${path}.${key}.member`, problems);
      }
      return;
    }
    case "timestamp":
      if (isOutOfRange(value)) {
        problems.push(
          problem(
            value[OUT_OF_RANGE],
            path,
            "Member must be a timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
          ),
        );
      }
      return;
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
