/**
 * The request as the client signed it, read from the API Gateway event. The host and path are
 * those the client used: behind the deployed edge, which rewrites both, they arrive in
 * `x-ssm-viewer-host` (the header named by SIGNED_HOST_HEADER) and `x-ssm-viewer-path`.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { SignedRequest } from "../auth/sigv4.ts";
import { header } from "./json-protocol.ts";

export function signedRequest(event: APIGatewayProxyEvent, body: Buffer, signedHostHeader: string): SignedRequest {
  return {
    method: event.httpMethod,
    path: header(event.headers, "x-ssm-viewer-path") ?? event.path,
    query: event.queryStringParameters,
    headers: lowerCased(event.headers ?? {}),
    body,
    host: header(event.headers, signedHostHeader),
  };
}

/**
 * The headers under lower-case names (API Gateway keeps the client's spelling; a name is one
 * header whatever its case), so that verification finds each one at once.
 */
function lowerCased(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name];
  return out;
}
