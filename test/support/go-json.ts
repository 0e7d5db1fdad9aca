/**
 * Go's encoding/json, as far as the SSM Agent depends on it, so a test reads what the service
 * sends exactly as the agent's structs do and writes what the agent writes exactly as it does:
 *
 * - `unmarshalErrors(json, type)`: what json.Unmarshal would refuse. A member whose JSON type is
 *   not its field's (a number or a boolean into a string, a string into an int, a string into a
 *   slice) is an UnmarshalTypeError, and the agent then drops the whole message; `null` leaves a
 *   field at its zero value; member names match field tags case-insensitively; unknown members
 *   are ignored.
 * - `goMarshal(value)`: json.Marshal's text for a value built in struct-field order (objects),
 *   with map keys sorted and `<`, `>`, `&`, U+2028 and U+2029 escaped, as Go escapes them.
 */

export type GoType =
  | "string"
  | "int"
  | "bool"
  | "any"
  /** json.Number: a JSON number, or a string holding one. */
  | "number"
  | { struct: Record<string, GoType> }
  | { map: GoType }
  | { slice: GoType };

const kind = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "object" ? "object" : typeof value;

/** Every refusal json.Unmarshal would make of `value` as `type`, with its path. */
export function unmarshalErrors(value: unknown, type: GoType, path = "$"): string[] {
  if (value === null || type === "any") return [];
  const wrong = (expected: string) => [`${path}: cannot unmarshal ${kind(value)} into Go value of type ${expected}`];
  if (type === "string") return typeof value === "string" ? [] : wrong("string");
  if (type === "bool") return typeof value === "boolean" ? [] : wrong("bool");
  if (type === "int") return typeof value === "number" && Number.isInteger(value) ? [] : wrong("int");
  if (type === "number") {
    if (typeof value === "number") return [];
    return typeof value === "string" && value !== "" && !Number.isNaN(Number(value)) ? [] : wrong("json.Number");
  }
  if ("slice" in type) {
    if (!Array.isArray(value)) return wrong("[]…");
    return value.flatMap((item, i) => unmarshalErrors(item, type.slice, `${path}[${i}]`));
  }
  if (kind(value) !== "object") return wrong("map or struct");
  const members = value as Record<string, unknown>;
  if ("map" in type) {
    return Object.entries(members).flatMap(([key, item]) => unmarshalErrors(item, type.map, `${path}.${key}`));
  }
  const fields = Object.entries(type.struct);
  return Object.entries(members).flatMap(([key, item]) => {
    // An exact match first, then any field whose tag matches ignoring case (encoding/json's rule).
    const field =
      fields.find(([name]) => name === key) ?? fields.find(([name]) => name.toLowerCase() === key.toLowerCase());
    return field ? unmarshalErrors(item, field[1], `${path}.${key}`) : [];
  });
}

/** Parses JSON text and checks it against a Go type; throws with every refusal, as the agent would fail. */
export function goUnmarshal<T>(text: string, type: GoType): T {
  const value = JSON.parse(text) as unknown;
  const errors = unmarshalErrors(value, type);
  if (errors.length > 0) throw new Error(`the agent's json.Unmarshal refuses this:\n${errors.join("\n")}`);
  return value as T;
}

/** json.Marshal's output for a value whose objects are built in struct-field order; maps are given as `goMap`. */
export function goMarshal(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (item instanceof GoMap ? item.sorted() : item))
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

class GoMap {
  constructor(readonly entries: Record<string, unknown>) {}
  sorted(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** A Go map: json.Marshal writes its keys sorted. */
export const goMap = (entries: Record<string, unknown>): GoMap => new GoMap(entries);

// The agent's structs (aws/amazon-ssm-agent), field tags as declared.

/** agent/contracts/model.go `Parameter`. */
const PARAMETER: GoType = {
  struct: {
    default: "any",
    description: "string",
    type: "string",
    allowedValues: { slice: "string" },
    allowedPattern: "string",
    minChars: "number",
    maxChars: "number",
    minItems: "number",
    maxItems: "number",
  },
};

/** agent/contracts/model.go `DocumentContent` (with `PluginConfig` and `InstancePluginConfig`). */
export const DOCUMENT_CONTENT: GoType = {
  struct: {
    schemaVersion: "string",
    description: "string",
    runtimeConfig: { map: { struct: { settings: "any", properties: "any", description: "string" } } },
    mainSteps: {
      slice: {
        struct: {
          action: "string",
          inputs: "any",
          maxAttempts: "int",
          name: "string",
          onFailure: "string",
          settings: "any",
          timeoutSeconds: "int",
          precondition: { map: { slice: "string" } },
        },
      },
    },
    parameters: { map: PARAMETER },
    InvokedPlugin: "string",
  },
};

/** agent/runcommand/contracts/model.go `SendCommandPayload`. */
export const SEND_COMMAND_PAYLOAD: GoType = {
  struct: {
    Parameters: { map: "any" },
    DocumentContent: DOCUMENT_CONTENT,
    CommandId: "string",
    DocumentName: "string",
    OutputS3KeyPrefix: "string",
    OutputS3BucketName: "string",
    CloudWatchLogGroupName: "string",
    CloudWatchOutputEnabled: "string",
  },
};

/** agent/runcommand/contracts/model.go `CancelPayload`. */
export const CANCEL_PAYLOAD: GoType = { struct: { CancelMessageId: "string" } };

/** The agent's ec2messages client (extra/aws-sdk-go/service/ssmmds/api.go): `GetMessagesOutput` and `Message`. */
export const GET_MESSAGES_OUTPUT: GoType = {
  struct: {
    Destination: "string",
    Messages: {
      slice: {
        struct: {
          CreatedDate: "string",
          Destination: "string",
          MessageId: "string",
          NextToken: "string",
          Payload: "string",
          PayloadDigest: "string",
          Topic: "string",
        },
      },
    },
    MessagesRequestId: "string",
  },
};
