/**
 * Map keys the DynamoDB marshaller can't carry. It builds each map with `map[key] = value`, so a
 * key named `__proto__` (which validation keeps as data: model maps are prototype-free) sets the
 * map's prototype instead of adding a key: the key is lost, or the write is refused as an empty
 * AttributeValue (a 500). AWS keeps any key of a map (compliance `Details` is a map of strings), so
 * such a key is stored escaped and given back as sent: `__proto__`, and any key that starts with
 * the escape character, get one more escape character in front. Reversible, and no stored key is
 * `__proto__`. Maps without such keys are passed through as they are (the same object).
 */
const ESCAPE = "\u001b";

const needsEscape = (key: string) => key === "__proto__" || key.startsWith(ESCAPE);

export function escapeMapKeys<T extends Record<string, unknown>>(map: T): T;
export function escapeMapKeys<T extends Record<string, unknown>>(map: T | undefined): T | undefined;
export function escapeMapKeys<T extends Record<string, unknown>>(map: T | undefined): T | undefined {
  if (!map || !Object.keys(map).some(needsEscape)) return map;
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [needsEscape(key) ? ESCAPE + key : key, value]),
  ) as T;
}

export function unescapeMapKeys<T extends Record<string, unknown>>(map: T): T;
export function unescapeMapKeys<T extends Record<string, unknown>>(map: T | undefined): T | undefined;
export function unescapeMapKeys<T extends Record<string, unknown>>(map: T | undefined): T | undefined {
  if (!map || !Object.keys(map).some((key) => key.startsWith(ESCAPE))) return map;
  // Object.fromEntries defines each key as an own property, `__proto__` included.
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [key.startsWith(ESCAPE) ? key.slice(1) : key, value]),
  ) as T;
}
