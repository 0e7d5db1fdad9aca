/**
 * The one middleware stack every operation handler is built with: parse the JSON 1.1 body,
 * validate it against the service model, run the operation, serialize the answer, and turn any
 * failure into an AWS-shaped error. A handler file only supplies the operation's name and body.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { InternalServerError, SsmError } from "../errors.ts";
import { validateInput } from "../validation/validate.ts";
import { jsonResponse, parseBody, requestIdOf } from "./json-protocol.ts";
import { type RequestContext, requestContextOf } from "./request-context.ts";

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

/** Builds the Lambda handler of one SSM operation. */
export function ssmOperation<Input, Output>(
  operation: string,
  run: (input: Input, context: RequestContext) => Promise<Output>,
): OperationHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(awsErrors(operation))
    .handler(async (event) => {
      const requestId = requestIdOf(event);
      const input = validateInput<Input>(operation, parseBody(event));
      const output = await run(input, requestContextOf(event, operation, requestId));
      return jsonResponse(200, output ?? {}, requestId);
    });
}
