/**
 * The one middleware stack every operation handler is built with: read the body as received,
 * authenticate (through the function the caller injects), validate against the service model,
 * run the operation, serialize the answer, and turn any failure into an AWS-shaped error. It
 * knows nothing of stores, services or configuration: shared/handler.ts wires those in.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { InternalServerError, RequestEntityTooLargeException, SsmError } from "../errors.ts";
import type { OperationModel } from "../validation/model-types.ts";
import { validateInput } from "../validation/validate.ts";
import { jsonResponse, MAX_REQUEST_BYTES, parseBody, rawBody, requestIdOf } from "./json-protocol.ts";

export type OperationHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** What an unsigned operation knows of its caller: nothing but the request. */
export type AnonymousContext = { readonly requestId: string; readonly operation: string };

/** Proves who sent the request (or refuses it) before its body is even parsed. */
export type Authenticate<C> = (event: APIGatewayProxyEvent, body: Buffer, base: AnonymousContext) => Promise<C>;

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
 * `model` is the operation's generated module (shared/validation/generated/operations/), which
 * names it and carries its input shapes, so a function's bundle holds only its own.
 */
export function operationHandler<Input, Output, C>(
  model: OperationModel,
  authenticate: Authenticate<C>,
  run: (input: Input, context: C) => Promise<Output>,
): OperationHandler {
  const operation = model.name;
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
      const context = await authenticate(event, body, { requestId, operation });
      const input = validateInput<Input>(model, parseBody(body));
      const output = await run(input, context);
      return jsonResponse(200, output ?? {}, requestId);
    });
}
