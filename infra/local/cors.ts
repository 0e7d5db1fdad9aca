/**
 * CORS for the web console, as narrow as it can be: only the console's own origins, only POST,
 * only the headers `@aws-sdk/client-ssm` sends from a browser, and only the response headers it
 * reads. The deployed edge answers the same (infra/deploy/edge-router.ts shares these lists).
 */

/** Request headers the SDK sets in a browser (SigV4, JSON 1.1, retries, user agent). */
export const CORS_ALLOW_HEADERS = [
  "amz-sdk-invocation-id",
  "amz-sdk-request",
  "authorization",
  "content-type",
  "x-amz-content-sha256",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-target",
  "x-amz-user-agent",
];

/** Response headers the SDK reads: the request id, the error type, and Date for clock skew. */
export const CORS_EXPOSE_HEADERS = ["x-amzn-RequestId", "x-amzn-ErrorType", "Date"];

/** Preflights are cached by the browser for this long (seconds). */
export const CORS_MAX_AGE = 600;

/** Headers for an answer to `origin`, or none when the origin is not allowed. */
export function corsHeaders(origin: string | undefined, allowed: ReadonlySet<string>): Record<string, string> {
  if (!origin || !allowed.has(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS.join(", "),
    Vary: "Origin",
  };
}

/** The answer to a preflight: 204 with the allowance, or 403 without any for a foreign origin. */
export function preflightHeaders(
  origin: string | undefined,
  allowed: ReadonlySet<string>,
): { status: number; headers: Record<string, string> } {
  const base = corsHeaders(origin, allowed);
  if (!base["Access-Control-Allow-Origin"]) return { status: 403, headers: { Vary: "Origin" } };
  return {
    status: 204,
    headers: {
      ...base,
      "Access-Control-Allow-Methods": "POST",
      "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS.join(", "),
      "Access-Control-Max-Age": String(CORS_MAX_AGE),
    },
  };
}

/** The console's origins on a local server: its own address, by IP and by `localhost`. */
export function localConsoleOrigins(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const origins = new Set([`http://${host}:${port}`, `http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  for (const origin of extra) if (origin.trim()) origins.add(origin.trim().replace(/\/$/, ""));
  return origins;
}
