/**
 * Calls an operation's real handler module with the API Gateway event a deployed function
 * receives, signed with real credentials, and decodes the answer.
 */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { proxyEvent as apiGatewayEvent } from "../../infra/local/proxy-event.ts";
import type { OperationHandler } from "../../shared/protocol/operation.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "./identity.ts";

export type Answer = { status: number; body: Record<string, unknown>; headers: Record<string, unknown> };

export type InvokeOptions = {
  identity?: Identity;
  /** Headers to send as they are, after signing (to tamper with a signed request). */
  headers?: Record<string, string>;
  /** Send the request without signing it at all. */
  unsigned?: boolean;
  signingDate?: Date;
};

/** The API Gateway proxy event for a request with these headers and body (sent as text). */
export function proxyEvent(operation: string, body: string, headers: Record<string, string>): APIGatewayProxyEvent {
  return apiGatewayEvent({
    operation,
    headers,
    body,
    requestId: `test-${Math.random().toString(16).slice(2)}`,
  });
}

/** A signed proxy event, as a client holding `identity` would send it. */
export async function signedEvent(
  operation: string,
  body: string,
  options: InvokeOptions = {},
): Promise<APIGatewayProxyEvent> {
  const headers = options.unsigned
    ? { host: "ssm.test.local", "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${operation}` }
    : await signedHeaders(operation, body, options.identity ?? DEFAULT_IDENTITY, { signingDate: options.signingDate });
  return proxyEvent(operation, body, { ...headers, ...options.headers });
}

const context = {} as Context;

export async function handlerOf(operation: string): Promise<OperationHandler> {
  return ((await import(`../../functions/${operation}.ts`)) as { handler: OperationHandler }).handler;
}

export async function invokeEvent(operation: string, event: APIGatewayProxyEvent): Promise<Answer> {
  const result = await (await handlerOf(operation))(event, context);
  return { status: result.statusCode, body: JSON.parse(result.body), headers: result.headers ?? {} };
}

export async function invokeRaw(operation: string, body: string, options: InvokeOptions = {}): Promise<Answer> {
  return invokeEvent(operation, await signedEvent(operation, body, options));
}

export function invoke(operation: string, request: unknown = {}, options?: InvokeOptions): Promise<Answer> {
  return invokeRaw(operation, JSON.stringify(request), options);
}

/** Invokes and requires success, returning the decoded response. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response members freely
export async function call<T = Record<string, any>>(
  operation: string,
  request: unknown = {},
  options?: InvokeOptions,
): Promise<T> {
  const answer = await invoke(operation, request, options);
  if (answer.status !== 200) throw new Error(`${operation} failed: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/** Invokes and requires an AWS error, returning `{status, type, message}`. */
export async function fails(operation: string, request: unknown = {}, options?: InvokeOptions) {
  const answer = await invoke(operation, request, options);
  return {
    status: answer.status,
    type: answer.body.__type as string,
    message: answer.body.message as string | undefined,
  };
}
