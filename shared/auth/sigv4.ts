/**
 * AWS Signature Version 4 verification for the `ssm` (and `ec2messages`) service, as AWS performs it: the
 * Authorization header's scope and signed headers, the clock skew window, the canonical request
 * over the raw body, and a constant-time comparison of signatures. Pure: the caller supplies the
 * request as received, the host the client signed, the clock, and the secret for a key id.
 */
import * as crypto from "node:crypto";
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
} from "../errors.ts";

export const SERVICE = "ssm";
/** AWS accepts request dates up to 15 minutes away from its own clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type SignedRequest = {
  method: string;
  /** The path the client signed, normally "/". */
  path: string;
  query: Record<string, string | undefined> | null;
  /** Header names in any case. */
  headers: Record<string, string | undefined>;
  /** The body exactly as received (or, for a request being signed, as it will be sent). */
  body: Buffer | string;
  /**
   * The body's SHA-256 in hex, when the signer has it already. Never set when verifying: a
   * verifier hashes the body it received.
   */
  payloadHash?: string;
  /** The host the client signed: the Host header locally, the viewer host behind the edge. */
  host: string | undefined;
};

export type Authorization = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

const signatureMismatch =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/**
 * A header by its lower-case name, in any spelling: at once when it is spelled in lower case
 * (Node's HTTP server and the SDKs; `signedRequest` lower-cases API Gateway's), by a scan
 * otherwise. A request verifies about six headers, so the scan for each was a measurable cost.
 */
export function headerOf(headers: SignedRequest["headers"], name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return headers[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

/** SHA-256 in hex, one shot (`crypto.hash`, Node 20.12 and later: no Hash object per call). */
export const sha256Hex: (data: string | Buffer) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "hex")
    : (data) => crypto.createHash("sha256").update(data).digest("hex");

/**
 * Reads the Authorization header, refusing anything but a complete SigV4 header scoped to the
 * service the operation belongs to: `ssm`, or `ec2messages` for the message delivery operations.
 */
export function parseAuthorization(
  headers: SignedRequest["headers"],
  expectedService: string = SERVICE,
): Authorization {
  const header = headerOf(headers, "authorization");
  if (!header) throw new MissingAuthenticationTokenException("Missing Authentication Token");
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== "AWS4-HMAC-SHA256") {
    throw new IncompleteSignatureException(
      `Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA256' is the only supported algorithm (got '${algorithm}').`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of rest.join(" ").split(",")) {
    const [key, ...value] = part.trim().split("=");
    if (key) fields.set(key, value.join("="));
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((field) => !fields.get(field));
  if (missing.length > 0) {
    throw new IncompleteSignatureException(
      `${missing.map((field) => `Authorization header requires '${field}' parameter.`).join(" ")} Authorization=${header.split(",")[0]}`,
    );
  }
  const credential = (fields.get("Credential") as string).split("/");
  const [accessKeyId, date, region, service, terminator] = credential;
  if (credential.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== "aws4_request") {
    throw new IncompleteSignatureException(
      `Credential should be scoped to a valid region. Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${fields.get("Credential")}'`,
    );
  }
  if (service !== expectedService) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${expectedService}'. `);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'. `);
  }
  const signedHeaders = (fields.get("SignedHeaders") as string).split(";");
  if (!signedHeaders.includes("host")) {
    throw new InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return { accessKeyId, date, region, service, signedHeaders, signature: fields.get("Signature") as string };
}

/** `20261125T131415Z` <-> Date */
export function parseAmzDate(value: string): Date | undefined {
  const match = value.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The request's date, which must be within the skew window of `now`. */
export function checkRequestDate(request: SignedRequest, authorization: Authorization, now: Date): string {
  const amzDate = headerOf(request.headers, "x-amz-date");
  if (!amzDate) {
    throw new IncompleteSignatureException(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const date = parseAmzDate(amzDate);
  if (!date) throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  if (!amzDate.startsWith(authorization.date)) {
    throw new InvalidSignatureException(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${authorization.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const earliest = new Date(now.getTime() - MAX_CLOCK_SKEW_MS);
  const latest = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
  if (date < earliest) {
    throw new InvalidSignatureException(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (date > latest) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  return amzDate;
}

/** RFC 3986 encoding as SigV4 wants it (every character but unreserved ones). */
const uriEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: SignedRequest["query"]): string {
  if (!query) return "";
  return Object.entries(query)
    .map(([key, value]) => [uriEncode(key), uriEncode(value ?? "")] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

function canonicalPath(path: string): string {
  return path
    .split("/")
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join("/");
}

export function canonicalRequest(request: SignedRequest, authorization: Authorization): string {
  const headers = authorization.signedHeaders.map((name) => {
    const value = name === "host" ? request.host : headerOf(request.headers, name);
    return `${name}:${(value ?? "").trim().replace(/\s+/g, " ")}\n`;
  });
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path || "/"),
    canonicalQuery(request.query),
    headers.join(""),
    authorization.signedHeaders.join(";"),
    request.payloadHash ?? sha256Hex(request.body),
  ].join("\n");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** SigV4's string to sign: what an HMAC signature (or a node's RSA signature) covers. */
export function stringToSign(request: SignedRequest, authorization: Authorization, amzDate: string): string {
  const scope = `${authorization.date}/${authorization.region}/${authorization.service}/aws4_request`;
  return ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest(request, authorization))].join("\n");
}

/** The signature a client holding `secret` computes for this request. */
export function expectedSignature(
  request: SignedRequest,
  authorization: Authorization,
  amzDate: string,
  secret: string,
): string {
  return signatureWith(signingKey(secret, authorization), request, authorization, amzDate);
}

/**
 * The key SigV4 derives from a secret for one day, region and service: a pure function of
 * them, so a caller may keep it for as long as it keeps the secret itself.
 */
export function signingKey(secret: string, scope: Pick<Authorization, "date" | "region" | "service">): Buffer {
  let key = hmac(`AWS4${secret}`, scope.date);
  for (const part of [scope.region, scope.service, "aws4_request"]) key = hmac(key, part);
  return key;
}

/** The signature of this request under a derived `signingKey`. */
export function signatureWith(
  key: Buffer,
  request: SignedRequest,
  authorization: Authorization,
  amzDate: string,
): string {
  return createHmac("sha256", key)
    .update(stringToSign(request, authorization, amzDate), "utf8")
    .digest("hex");
}

/** The part of a credential scope a signing key depends on besides the secret. */
export const signingScope = (authorization: Pick<Authorization, "date" | "region" | "service">): string =>
  `${authorization.date}/${authorization.region}/${authorization.service}`;

/** Compares signatures in constant time; throws InvalidSignatureException when they differ. */
export function assertSignatureMatches(expected: string, given: string): void {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new InvalidSignatureException(signatureMismatch);
}
