/**
 * The local endpoint: an HTTP adapter, nothing more. Each request becomes the API Gateway proxy
 * event a deployed function receives, and is answered by that very handler module. Unknown
 * targets are answered here, at the edge, as the deployed edge answers them.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { RequestEntityTooLargeException, UnknownOperationException } from "../../shared/errors.ts";
import { jsonResponse, operationFromTarget } from "../../shared/protocol/json-protocol.ts";
import type { OperationHandler } from "../../shared/protocol/operation.ts";
import { loadHandlers } from "./operations.ts";
import { proxyEvent } from "./proxy-event.ts";

export type LocalServer = { url: string; port: number; close: () => Promise<void> };

/** The API Gateway event for one HTTP request, with its headers as one value each. */
export function toProxyEvent(request: IncomingMessage, body: Buffer, operation: string): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return proxyEvent({
    operation,
    headers,
    body,
    method: request.method ?? "POST",
    path: request.url ?? "/",
    sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
  });
}

function lambdaContext(operation: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: operation,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${operation}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${operation}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** API Gateway's own payload limit: larger requests never reach a function. */
const EDGE_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The body, or undefined when it is larger than the edge would pass on. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= EDGE_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size <= EDGE_MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  response.writeHead(result.statusCode, result.headers as Record<string, string>);
  response.end(result.body);
}

async function answer(
  handlers: Map<string, OperationHandler>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  if (!body) {
    const error = new RequestEntityTooLargeException(`Request bodies are limited to ${EDGE_MAX_BODY_BYTES} bytes.`);
    send(response, jsonResponse(error.status, error.toJSON(), randomUUID()));
    return;
  }
  const operation = operationFromTarget(request.headers["x-amz-target"] as string | undefined);
  const handler = operation ? handlers.get(operation) : undefined;
  if (!operation || !handler || request.method !== "POST") {
    const error = new UnknownOperationException(
      operation
        ? `Operation ${operation} is not supported by this service.`
        : "Missing or invalid X-Amz-Target header.",
    );
    send(response, jsonResponse(error.status, error.toJSON(), randomUUID()));
    return;
  }
  const event = toProxyEvent(request, body, operation);
  send(response, await handler(event, lambdaContext(operation, event.requestContext.requestId)));
}

export async function startLocalServer(options: { port: number; host?: string }): Promise<LocalServer> {
  const handlers = await loadHandlers();
  const server: Server = createServer((request, response) => {
    answer(handlers, request, response).catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", message: "local adapter failure", error: String(error) }));
      if (!response.headersSent) {
        send(
          response,
          jsonResponse(500, { __type: "InternalServerError", message: "An internal error occurred." }, randomUUID()),
        );
      }
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
