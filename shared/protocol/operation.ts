/**
 * The one middleware stack every operation handler is built with: parse the JSON 1.1 body,
 * validate it against the service model, run the operation, serialize the answer, and turn any
 * failure into an AWS-shaped error. A handler file only supplies the operation's name and body.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Principal } from "../auth/authenticate.ts";
import { config, MAX_REQUEST_BYTES } from "../config.ts";
import { InternalServerError, RequestEntityTooLargeException, SsmError } from "../errors.ts";
import { authenticator } from "../runtime.ts";
import { validateInput } from "../validation/validate.ts";
import { header, jsonResponse, parseBody, rawBody, requestIdOf } from "./json-protocol.ts";
import type { RequestContext } from "./request-context.ts";

export type OperationHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Known errors go out as they are; anything else is logged with its stack and answered generically. */
export function errorResponse(error: unknown, operation: string, requestId: string): APIGatewayProxyResult {
  if (error instanceof SsmError) return jsonResponse(error.status, error.toJSON(), requestId);
  console.error(
    JSON.stringify({
      level: "error",
      message: "unhandled error",
      operation,
      requestId,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    }),
  );
  const generic = new InternalServerError("An internal error occurred. Try again later.");
  return jsonResponse(generic.status, generic.toJSON(), requestId);
}

const awsErrors = (operation: string): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    request.response = errorResponse(request.error, operation, requestIdOf(request.event));
  },
});

/**
 * Verifies the request's signature over the body exactly as received. The host and path are
 * those the client signed: behind the deployed edge, which rewrites both, they arrive in
 * `x-ssm-viewer-host` (named by SIGNED_HOST_HEADER) and `x-ssm-viewer-path`.
 */
async function authenticate(event: APIGatewayProxyEvent, body: Buffer): Promise<Principal> {
  return (await authenticator()).authenticate({
    method: event.httpMethod,
    path: header(event.headers, "x-ssm-viewer-path") ?? event.path,
    query: event.queryStringParameters,
    headers: event.headers,
    body,
    host: header(event.headers, config().signedHostHeader),
  });
}

/** Builds the Lambda handler of one SSM operation. */
export function ssmOperation<Input, Output>(
  operation: string,
  run: (input: Input, context: RequestContext) => Promise<Output>,
): OperationHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(awsErrors(operation))
    .handler(async (event) => {
      const requestId = requestIdOf(event);
      const body = rawBody(event);
      if (body.length > MAX_REQUEST_BYTES) {
        throw new RequestEntityTooLargeException(
          `Request body of ${body.length} bytes exceeds the limit of ${MAX_REQUEST_BYTES} bytes.`,
        );
      }
      const principal = await authenticate(event, body);
      const input = validateInput<Input>(operation, parseBody(body));
      const context: RequestContext = {
        accountId: principal.accountId,
        region: principal.region,
        requestId,
        operation,
        principal,
      };
      const output = await run(input, context);
      return jsonResponse(200, output ?? {}, requestId);
    });
}
