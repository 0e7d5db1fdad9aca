/**
 * The API Gateway (REST, proxy integration) event a deployed function receives for one request:
 * built here for the local HTTP adapter (infra/local/server.ts) and for tests that call a
 * handler directly (test/support/invoke.ts), so both hand the handlers the same shape.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";

export type ProxyRequest = {
  operation: string;
  headers: Record<string, string>;
  /** The body as received: bytes go base64-encoded, as API Gateway passes a binary body. */
  body: Buffer | string;
  method?: string;
  path?: string;
  requestId?: string;
  sourceIp?: string;
};

export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const method = request.method ?? "POST";
  const path = request.path ?? "/";
  const binary = Buffer.isBuffer(request.body);
  return {
    resource: `/${request.operation}`,
    path,
    httpMethod: method,
    headers: request.headers,
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: binary ? (request.body as Buffer).toString("base64") : (request.body as string),
    isBase64Encoded: binary,
    requestContext: {
      requestId: request.requestId ?? randomUUID(),
      resourcePath: `/${request.operation}`,
      httpMethod: method,
      path,
      stage: "local",
      accountId: "000000000000",
      apiId: "local",
      protocol: "HTTP/1.1",
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      authorizer: undefined,
      identity: { sourceIp: request.sourceIp ?? "127.0.0.1" } as APIGatewayProxyEvent["requestContext"]["identity"],
    },
  };
}
