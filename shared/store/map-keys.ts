/**
 * Map keys the DynamoDB marshaller can't carry. It builds each map with `map[key] = value`, so a
 * key named `__proto__` (which validation keeps as data: model maps are prototype-free) sets the
 * map's prototype instead of adding a key: the key is lost, or the write is refused as an empty
 * AttributeValue (a 500). AWS keeps any key of a map a client sends (compliance `Details`,
 * association `Parameters` and `TargetMaps`, inventory `Content`), so every item is written with
 * such keys escaped and read back with them as sent: `__proto__`, and any key that starts with the
 * escape character, get one more escape character in front. Reversible, and no stored key is
 * `__proto__`. One middleware on the stores' document client does it for every command
 * (./dynamodb.ts), so no store has to remember which of its attributes hold a client's map.
 * A value without such keys is passed through as it is (the same object, nothing copied).
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const ESCAPE = "\u001b";

const escaped = (key: string) => (key === "__proto__" || key.startsWith(ESCAPE) ? ESCAPE + key : key);
const unescaped = (key: string) => (key.startsWith(ESCAPE) ? key.slice(1) : key);

/** Plain objects and arrays are walked; anything else (sets, bytes, dates) is a value. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Whether any key at any depth of `value` is one `test` picks. A scan without allocation: most
 * items have no such key, and this runs on every item read and written.
 */
function hasKey(value: unknown, test: (key: string) => boolean): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      if (typeof member === "object" && member !== null && hasKey(member, test)) return true;
    }
    return false;
  }
  if (!isPlainObject(value)) return false;
  // Object.keys and a typeof test before recursing: about twice as fast as for...in with hasOwn.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (test(key)) return true;
    const member = value[key];
    if (typeof member === "object" && member !== null && hasKey(member, test)) return true;
  }
  return false;
}

/** `value` with every object key renamed by `rename`, at every depth (only called where one changes). */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((member) => renameKeys(member, rename));
  if (!isPlainObject(value)) return value;
  // Object.fromEntries defines each key as an own property, `__proto__` included.
  return Object.fromEntries(Object.keys(value).map((key) => [rename(key), renameKeys(value[key], rename)]));
}

const ESCAPE_CODE = 0x1b;
const toEscape = (key: string) => key.charCodeAt(0) === ESCAPE_CODE || key === "__proto__";
const isEscaped = (key: string) => key.charCodeAt(0) === ESCAPE_CODE;

export const escapeMapKeys = <T>(value: T): T => (hasKey(value, toEscape) ? (renameKeys(value, escaped) as T) : value);
export const unescapeMapKeys = <T>(value: T): T =>
  hasKey(value, isEscaped) ? (renameKeys(value, unescaped) as T) : value;

type Handler = (args: { input: unknown }) => Promise<{ output: unknown; response: unknown }>;

const JSON_ESCAPES = ["\\u001b", "\\u001B"];

/**
 * False when DynamoDB's answer is at hand as bytes (the store's transport hands them over whole,
 * ./dynamodb-transport.ts) and holds no escape character, raw or as JSON writes it: then no
 * key of the output starts with one, and the walk over every item read can be skipped. An
 * answer not at hand (another HTTP handler, an answer made up without a call) is walked.
 */
function mayHoldEscapes(response: unknown): boolean {
  const body = (response as { body?: unknown } | undefined)?.body;
  if (!(body instanceof Uint8Array)) return true;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return bytes.includes(ESCAPE_CODE) || JSON_ESCAPES.some((written) => bytes.includes(written));
}

/**
 * Every command's input escaped before the document client marshals it, every output unescaped
 * after it unmarshals (the initialize step runs outside both).
 */
export function carryEveryMapKey(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    ((next: Handler) => async (args: { input: unknown }) => {
      const result = await next({ ...args, input: escapeMapKeys(args.input) });
      return mayHoldEscapes(result.response) ? { ...result, output: unescapeMapKeys(result.output) } : result;
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic over every command
    }) as any,
    { step: "initialize", priority: "high", name: "carryEveryMapKey" },
  );
}
