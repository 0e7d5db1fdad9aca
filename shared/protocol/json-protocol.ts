/**
 * AWS JSON 1.1, the protocol every SSM client speaks: `POST /`, the operation in
 * `X-Amz-Target: AmazonSSM.<Operation>`, a JSON body, timestamps as epoch seconds, and errors as
 * `{"__type": ..., "message": ...}`. Everything protocol-shaped lives in this file.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { SerializationException } from "../errors.ts";

export const CONTENT_TYPE = "application/x-amz-json-1.1";
/** Request bodies above this size are refused before they are read as JSON: 1 MiB. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Header lookup that ignores case: API Gateway keeps the client's spelling. */
export function header(headers: APIGatewayProxyEvent["headers"] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The body exactly as the client sent it: the signature covers these bytes. */
export function rawBody(event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/** Parses the request body; an empty body is an empty request, anything else must be a JSON object. */
export function parseBody(body: Buffer): Record<string, unknown> {
  const raw = body.toString("utf8");
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SerializationException("");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException("Start of structure or map found where not expected.");
  }
  return parsed as Record<string, unknown>;
}

/**
 * Dates become epoch seconds (with milliseconds as a fraction); undefined members are dropped.
 * A part with nothing to change (no date, no undefined member: a record's Parameters or Targets
 * as read) is returned as it is, not copied: JSON.stringify writes it the same, and a node's poll
 * answers with 40 such parts or more.
 */
export function toWire(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      const wire = toWire(member);
      if (out) out[i] = wire;
      else if (wire !== member) {
        out = value.slice(0, i);
        out[i] = wire;
      }
    }
    return out ?? value;
  }
  const members = value as Record<string, unknown>;
  const keys = Object.keys(members);
  // A prototype-free object (validation's maps) is always copied: JSON.stringify is slow on one
  // (dictionary mode). Otherwise the members' wire values are kept from the first that differs.
  let wires: unknown[] | undefined = Object.getPrototypeOf(members) === Object.prototype ? undefined : [];
  for (let i = 0; i < keys.length; i++) {
    const member = members[keys[i] as string];
    const wire = toWire(member);
    if (wires) wires[i] = wire;
    else if (wire !== member || member === undefined) {
      wires = new Array(keys.length);
      for (let j = 0; j < i; j++) wires[j] = members[keys[j] as string];
      wires[i] = wire;
    }
  }
  if (!wires) return value;
  // An ordinary object, with a map key named `__proto__` defined as an own key, never the
  // prototype (shared/store/map-keys.ts).
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const wire = wires[i];
    if (wire === undefined) continue;
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: wire, enumerable: true, writable: true, configurable: true });
    else out[key] = wire;
  }
  return out;
}

export function jsonResponse(statusCode: number, body: unknown, requestId: string): APIGatewayProxyResult {
  return {
    statusCode,
    headers: {
      "Content-Type": CONTENT_TYPE,
      "x-amzn-RequestId": requestId,
    },
    body: JSON.stringify(toWire(body)),
  };
}

/** The request id AWS would give: API Gateway's when deployed, a fresh UUID otherwise. */
export function requestIdOf(event: Partial<APIGatewayProxyEvent>): string {
  return event.requestContext?.requestId ?? randomUUID();
}
