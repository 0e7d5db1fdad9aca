/**
 * A document's parameters as its content declares them (schema 1.2, 2.x and automation all use
 * `parameters: {name: {type, default, description, allowedValues, allowedPattern}}`), and the
 * request values a form's text becomes.
 */
export type DocParameter = {
  name: string;
  type: string;
  description?: string;
  default?: unknown;
  allowedValues?: string[];
  allowedPattern?: string;
};

export function documentParameters(contentJson: string): DocParameter[] {
  let content: unknown;
  try {
    content = JSON.parse(contentJson);
  } catch {
    return [];
  }
  const params = (content as { parameters?: Record<string, Record<string, unknown>> })?.parameters;
  if (!params || typeof params !== "object") return [];
  return Object.entries(params).map(([name, p]) => ({
    name,
    type: typeof p.type === "string" ? p.type : "String",
    description: typeof p.description === "string" ? p.description : undefined,
    default: p.default,
    allowedValues: Array.isArray(p.allowedValues) ? p.allowedValues.map(String) : undefined,
    allowedPattern: typeof p.allowedPattern === "string" ? p.allowedPattern : undefined,
  }));
}

/** The text a field starts with: the document's default, in the form the type is edited in. */
export function defaultText(param: DocParameter): string {
  const value = param.default;
  if (value === undefined || value === null) return "";
  if (param.type === "StringList" && Array.isArray(value)) return value.join("\n");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Association parameters are `Record<string, string[]>` on the wire: a StringList is one value per
 * line; a map or map list is its JSON; everything else one string. Empty fields are left out so
 * the document's default applies.
 */
export function parameterValues(param: DocParameter, text: string): string[] | undefined {
  if (text.trim() === "") return undefined;
  if (param.type === "StringList") return text.split("\n").filter((line) => line.trim() !== "");
  return [text];
}
