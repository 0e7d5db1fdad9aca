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
    headers: event.headers,
    body,
    host: header(event.headers, signedHostHeader),
  };
}
