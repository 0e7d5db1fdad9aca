/**
 * fast-check arbitraries for every operation's request, derived from the generated service model:
 * mostly well-formed values (so requests reach the domain), each member with a chance of being
 * broken the ways a careless or hostile client breaks it: the wrong JSON type, missing, at and
 * just past its length or range limits, unicode and control characters, prototype-named members,
 * deep nesting, huge lists, and out-of-range or string timestamps.
 */
import fc from "fast-check";
import { operations, shapes } from "../../shared/validation/generated/ssm-model.ts";
import type { ModelShape } from "../../shared/validation/model-types.ts";
import { compilePattern } from "../../shared/validation/validate.ts";

/** Values that name resources the fuzz run created, so requests also reach past "not found". */
export type Pools = Record<string, string[]>;

type Arb = fc.Arbitrary<unknown>;

/** Strings that have broken parsers, stores and renderers before. */
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "\u0000\u0001\u001f\u007f",
  "\ud800",
  "line\nbreak\r\ttab",
  "😀".repeat(600),
  "a".repeat(2100),
  "é".repeat(1100),
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  `$${"{x}"}`,
  "{{ message }}",
  "../../etc/passwd",
  "%s%n",
  "null",
  "[]",
  "<script>",
  "\u202e",
  "\ufeff",
];

/** Timestamps a client might send: strings, out of JavaScript's date range, fractional, negative. */
const NASTY_TIMESTAMPS: unknown[] = [
  "not a date",
  "",
  "2024-01-01T00:00:00Z",
  1e20,
  8640000000001,
  2 ** 63,
  -1e15,
  Number.MAX_SAFE_INTEGER,
  0,
  -1,
  1424421071.939,
];

const PROTOTYPE_KEYS = ["__proto__", "constructor", "", "prototype", "toString", "hasOwnProperty"];

/** JSON nested `levels` deep, as an array or an object chain. */
export function deeplyNested(levels: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

/** Anything JSON can hold, to put where the model wants something else. */
const wrongValue: Arb = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant([1, "a", null]),
  fc.constant({ a: { b: [] } }),
  fc.constantFrom(3000, 20).map((levels) => deeplyNested(levels, "array")),
  fc.constantFrom(3000, 40).map((levels) => deeplyNested(levels, "object")),
);

/** An object with members named after the prototype's, possibly nested deep. */
const prototypeMembers: fc.Arbitrary<[string, unknown][]> = fc.array(
  fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, "x", "Unknown"), wrongValue),
  { minLength: 1, maxLength: 3 },
);

function shapeOf(name: string): ModelShape {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown shape ${name}`);
  return shape;
}

const repeatTo = (unit: string, length: number) => unit.repeat(Math.max(0, length));

/** Strings for a string shape: pooled names, pattern matches, boundary lengths, nasty text. */
function stringArb(name: string, shape: Extract<ModelShape, { type: "string" }>, pools: Pools, clean: boolean): Arb {
  const options: { weight: number; arbitrary: Arb }[] = [];
  const pool = pools[name];
  if (pool && pool.length > 0) options.push({ weight: 6, arbitrary: fc.constantFrom(...pool) });
  if (shape.enum) {
    options.push({ weight: 8, arbitrary: fc.constantFrom(...shape.enum) });
  } else if (shape.pattern) {
    let regex: RegExp | undefined;
    try {
      regex = compilePattern(shape.pattern);
      fc.sample(fc.stringMatching(regex), { numRuns: 1, seed: 1 });
    } catch {
      regex = undefined;
    }
    if (regex) {
      const limited = regex;
      options.push({
        weight: 6,
        arbitrary: fc
          .stringMatching(limited)
          .filter((text) => (shape.max === undefined || [...text].length <= shape.max) && text.length < 300),
      });
    }
    if (!clean || options.length === 0) {
      options.push({
        weight: 2,
        arbitrary: fc.string({ minLength: shape.min ?? 0, maxLength: Math.max(shape.min ?? 0, 12) }),
      });
    }
  } else {
    const min = shape.min ?? 0;
    const max = Math.min(shape.max ?? 16, 16);
    options.push({ weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, max) }) });
  }
  if (clean) return fc.oneof(...options);
  if (shape.max !== undefined) {
    const max = shape.max;
    options.push({ weight: 1, arbitrary: fc.constantFrom(repeatTo("a", max), repeatTo("a", max + 1)) });
    options.push({ weight: 1, arbitrary: fc.constantFrom(repeatTo("😀", max), repeatTo("😀", max + 1)) });
  }
  if (shape.min !== undefined && shape.min > 0) {
    options.push({ weight: 1, arbitrary: fc.constant(repeatTo("a", shape.min - 1)) });
  }
  options.push({ weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) });
  options.push({ weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) });
  return fc.oneof(...options);
}

function numberArb(shape: Extract<ModelShape, { type: "integer" | "long" | "double" | "float" }>, clean: boolean): Arb {
  const min = shape.min ?? -1000;
  const max = shape.max ?? 100_000;
  const integral = shape.type === "integer" || shape.type === "long";
  const inRange = integral
    ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) })
    : fc.double({ min, max, noNaN: true });
  if (clean) return inRange;
  return fc.oneof(
    { weight: 6, arbitrary: inRange },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, min, max, 1.5, 2 ** 63, -(2 ** 63), 1e300) },
  );
}

const timestampArb: Arb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1_800_000_000, max: 1_802_000_000 }).map((s) => s + 0.25) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_TIMESTAMPS) },
);

/**
 * A huge list, expanded only when the body is serialized (see `toJson`): fast-check then holds
 * and walks one element, not tens of thousands.
 */
const HUGE = Symbol("huge list");
type HugeList = { [HUGE]: number; item: unknown };

/**
 * Expands huge-list markers. They sit within the model's depth, so the walk stops at depth 12 and
 * never descends into the thousands-deep values generated to test nesting.
 */
function expand(value: unknown, depth = 0): unknown {
  if (depth > 12 || typeof value !== "object" || value === null) return value;
  if (HUGE in value) {
    const { [HUGE]: size, item } = value as HugeList;
    const expanded = expand(item, depth + 1);
    const bytes = (JSON.stringify(expanded) ?? "null").length + 1;
    return Array.from({ length: Math.min(size, Math.ceil(1_100_000 / bytes)) }, () => expanded);
  }
  if (Array.isArray(value)) return value.map((item) => expand(item, depth + 1));
  // fromEntries defines own members, so a member named "__proto__" stays one.
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, expand(member, depth + 1)]));
}

/** JSON text of a generated value, huge lists expanded to at most ~1.1 MB of body. */
export function toJson(value: unknown): string {
  return JSON.stringify(expand(value)) ?? "null";
}

/**
 * Lists at and past their limits. A huge list repeats one generated element, so generating it
 * costs nothing; its size is bounded by what fits in the 1 MiB request body.
 */
function listArb(shape: Extract<ModelShape, { type: "list" }>, element: Arb, clean: boolean, depth: number): Arb {
  const min = shape.min ?? 0;
  const usual = Math.max(min, Math.min(shape.max ?? 3, 3));
  const options: { weight: number; arbitrary: Arb }[] = [
    { weight: 8, arbitrary: fc.array(element, { minLength: min, maxLength: usual }) },
  ];
  if (clean) return options[0]?.arbitrary as Arb;
  // Huge lists only near the top: one per request is enough to find unbounded work.
  const huge = depth <= 1 ? [1_001, 10_001, 60_000] : [];
  const edges = [shape.max, shape.max === undefined ? undefined : shape.max + 1, ...huge].filter(
    (n): n is number => n !== undefined && n > usual,
  );
  if (edges.length > 0) {
    options.push({
      weight: 1,
      arbitrary: fc.tuple(element, fc.constantFrom(...edges)).map(([item, size]): HugeList => ({ [HUGE]: size, item })),
    });
  }
  if (min > 0) options.push({ weight: 1, arbitrary: fc.constant([]) });
  return fc.oneof(...options);
}

function mapArb(shape: Extract<ModelShape, { type: "map" }>, pools: Pools, depth: number, clean: boolean): Arb {
  const key = valueArb(shape.key, pools, depth + 1, false, clean);
  const value = valueArb(shape.value, pools, depth + 1, !clean, clean);
  const usual = fc
    .array(fc.tuple(key, value), { maxLength: 3 })
    .map((entries) => Object.fromEntries(entries.filter(([k]) => typeof k === "string")));
  const prototypeNamed = fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS), value)
    .map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}: ${toJson(v)}}`));
  if (clean) return usual;
  return fc.oneof({ weight: 8, arbitrary: usual }, { weight: 1, arbitrary: prototypeNamed });
}

function structureArb(
  shape: Extract<ModelShape, { type: "structure" }>,
  pools: Pools,
  depth: number,
  clean: boolean,
): Arb {
  const members = Object.entries(shape.members);
  const model = Object.fromEntries(
    members.map(([member, ref]) => [member, valueArb(ref, pools, depth + 1, !clean, clean)]),
  );
  const required = shape.required ?? [];
  const record = fc.record(model, { requiredKeys: members.map(([m]) => m).filter((m) => required.includes(m)) });
  if (clean) return record;
  return fc.oneof(
    { weight: 9, arbitrary: record },
    {
      weight: 1,
      // Unknown members, prototype-named ones included, are parsed from JSON text as a client's
      // would be: an own member named "__proto__" is exactly what JSON.parse produces.
      arbitrary: fc.tuple(record, prototypeMembers).map(([value, extra]) => {
        const text = toJson(value);
        const more = extra.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(",");
        return JSON.parse(text === "{}" ? `{${more}}` : `${text.slice(0, -1)},${more}}`);
      }),
    },
  );
}

/**
 * A value for `shapeName`, or with some chance a broken one. `mutate` false keeps this value
 * well-typed; `clean` keeps everything beneath it well-formed too (within the model's limits),
 * so that a good share of requests gets past validation into the domain.
 */
export function valueArb(shapeName: string, pools: Pools, depth = 0, mutate = true, clean = false): Arb {
  const shape = shapeOf(shapeName);
  let arb: Arb;
  switch (shape.type) {
    case "structure":
      arb = depth > 6 ? fc.constant({}) : structureArb(shape, pools, depth, clean);
      break;
    case "list":
      arb = listArb(shape, valueArb(shape.member, pools, depth + 1, !clean, clean), clean, depth);
      break;
    case "map":
      arb = mapArb(shape, pools, depth, clean);
      break;
    case "string":
      arb = stringArb(shapeName, shape, pools, clean);
      break;
    case "integer":
    case "long":
    case "double":
    case "float":
      arb = numberArb(shape, clean);
      break;
    case "boolean":
      arb = fc.boolean();
      break;
    case "timestamp":
      arb = clean ? fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }) : timestampArb;
      break;
    case "blob":
      arb = fc.base64String({ maxLength: 16 });
      break;
  }
  if (!mutate) return arb;
  return fc.oneof({ weight: 14, arbitrary: arb }, { weight: 1, arbitrary: wrongValue });
}

/** A request body for an operation: JSON text, usually of a generated input, sometimes malformed. */
export function requestBodyArb(operation: string, pools: Pools): fc.Arbitrary<string> {
  const input = operations[operation]?.input;
  const value = input
    ? fc.oneof(valueArb(input, pools, 0, false, false), valueArb(input, pools, 0, false, true))
    : fc.constant({});
  const malformed = fc.constantFrom(
    "{",
    "[]",
    "null",
    "42",
    '"text"',
    "{'a':1}",
    '{"a":1,}',
    "\u0000",
    `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    `{"Name":${"[".repeat(3000)}${"]".repeat(3000)}}`,
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
  );
  return fc.oneof({ weight: 30, arbitrary: value.map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: malformed });
}
