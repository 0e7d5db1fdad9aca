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

/** `value` with every object key renamed by `rename`, at every depth; the same value if none changes. */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const member = renameKeys(value[i], rename);
      if (member === value[i]) continue;
      copy ??= value.slice();
      copy[i] = member;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  let entries: [string, unknown][] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const member = renameKeys(value[key], rename);
    const name = rename(key);
    if (!entries && (member !== value[key] || name !== key)) {
      entries = keys.slice(0, i).map((earlier) => [earlier, value[earlier]]);
    }
    entries?.push([name, member]);
  }
  // Object.fromEntries defines each key as an own property, `__proto__` included.
  return entries ? Object.fromEntries(entries) : value;
}

export const escapeMapKeys = <T>(value: T): T => renameKeys(value, escaped) as T;
export const unescapeMapKeys = <T>(value: T): T => renameKeys(value, unescaped) as T;

type Handler = (args: { input: unknown }) => Promise<{ output: unknown; response: unknown }>;

/**
 * Every command's input escaped before the document client marshals it, every output unescaped
 * after it unmarshals (the initialize step runs outside both).
 */
export function carryEveryMapKey(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    ((next: Handler) => async (args: { input: unknown }) => {
      const result = await next({ ...args, input: escapeMapKeys(args.input) });
      return { ...result, output: unescapeMapKeys(result.output) };
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic over every command
    }) as any,
    { step: "initialize", priority: "high", name: "carryEveryMapKey" },
  );
}
