/**
 * Calls an operation's real handler module with the API Gateway event a deployed function
 * receives, and decodes the answer.
 */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import type { OperationHandler } from "../../shared/protocol/operation.ts";

export type Answer = { status: number; body: Record<string, unknown>; headers: Record<string, unknown> };

export function proxyEvent(
  operation: string,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return {
    resource: `/${operation}`,
    path: `/${operation}`,
    httpMethod: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AmazonSSM.${operation}`,
      Authorization:
        "AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
      ...headers,
    },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: `test-${Math.random().toString(16).slice(2)}`,
    } as APIGatewayProxyEvent["requestContext"],
  };
}

const context = {} as Context;

export async function invokeRaw(operation: string, body: string, headers?: Record<string, string>): Promise<Answer> {
  const module = (await import(`../../functions/${operation}.ts`)) as { handler: OperationHandler };
  const result = await module.handler(proxyEvent(operation, body, headers), context);
  return { status: result.statusCode, body: JSON.parse(result.body), headers: result.headers ?? {} };
}

export function invoke(operation: string, request: unknown = {}, headers?: Record<string, string>): Promise<Answer> {
  return invokeRaw(operation, JSON.stringify(request), headers);
}

/** Invokes and requires success, returning the decoded response. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response members freely
export async function call<T = Record<string, any>>(operation: string, request: unknown = {}): Promise<T> {
  const answer = await invoke(operation, request);
  if (answer.status !== 200) throw new Error(`${operation} failed: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/** Invokes and requires an AWS error, returning `{status, type, message}`. */
export async function fails(operation: string, request: unknown = {}) {
  const answer = await invoke(operation, request);
  return {
    status: answer.status,
    type: answer.body.__type as string,
    message: answer.body.message as string | undefined,
  };
}
