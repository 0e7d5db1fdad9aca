/**
 * The one middleware stack every operation handler is built with: read the body as received,
 * authenticate (through the function the caller injects), validate against the service model,
 * run the operation, serialize the answer, and turn any failure into an AWS-shaped error. Each
 * request runs in a scope of its own (lib/request-scope.ts) that counts what it does below, and,
 * once answered, is handed with what the stack learnt of it (caller, parameters, outcome) to the
 * observer the caller injects (the log line, metrics, the audit trail). It knows nothing of
 * stores, services or configuration: shared/handler.ts wires those in.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { InternalServerError, RequestEntityTooLargeException, SsmError } from "../errors.ts";
import { inRequestScope, newTally, type RequestTally } from "../lib/request-scope.ts";
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
  logFailure("unhandled error", error, operation, requestId);
  const generic = new InternalServerError("An internal error occurred. Try again later.");
  return jsonResponse(generic.status, generic.toJSON(), requestId);
}

/** What the stack learnt of a request while answering it; a refusal leaves what came after it unset. */
type Seen<C> = { requestId: string; caller?: C; parameters?: unknown; output?: unknown; error?: unknown };

/** A request as answered, for its observer. */
export type Answered<C> = {
  readonly operation: string;
  readonly requestId: string;
  readonly event: APIGatewayProxyEvent;
  /** Who called: unset when authentication refused the request (or the body was too large to read). */
  readonly caller: C | undefined;
  /** The request's parameters as parsed, valid or not: unset when it was refused before they were read. */
  readonly parameters: unknown;
  readonly status: number;
  /** The wire `__type` of a refusal or failure (InternalServerError for an unexpected one), and its message. */
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** The operation's answer, when it succeeded. */
  readonly output: unknown;
  /** When the request arrived, and `performance.now()` then (the observer measures the latency it reports). */
  readonly receivedAt: Date;
  readonly started: number;
  /** What it did below the stack: DynamoDB calls, consumed capacity, service events. */
  readonly tally: RequestTally;
};

/**
 * Called once a request is answered, before the answer leaves: the answer waits for it (so a
 * deployed function has written what it writes before Lambda freezes it), still in the request's
 * scope (its own DynamoDB calls are counted). A failure of the observer is its own to report:
 * the answer goes out as it was.
 */
export type Observe<C> = (answered: Answered<C>) => Promise<void>;

/** A failure of ours, with its stack, on stderr as one JSON line. */
function logFailure(message: string, error: unknown, operation: string, requestId: string): void {
  console.error(
    JSON.stringify({
      level: "error",
      message,
      operation,
      requestId,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    }),
  );
}

const awsErrors = (
  operation: string,
  seen: WeakMap<APIGatewayProxyEvent, Seen<unknown>>,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const known = seen.get(request.event);
    if (known) known.error = request.error;
    request.response = errorResponse(request.error, operation, known?.requestId ?? requestIdOf(request.event));
  },
});

/** The wire error code of an answer's failure. */
const errorCodeOf = (error: unknown): string | undefined =>
  error === undefined ? undefined : error instanceof SsmError ? error.code : "InternalServerError";

/**
 * `model` is the operation's generated module (shared/validation/generated/operations/), which
 * names it and carries its input shapes, so a function's bundle holds only its own.
 */
export function operationHandler<Input, Output, C>(
  model: OperationModel,
  authenticate: Authenticate<C>,
  run: (input: Input, context: C) => Promise<Output>,
  observe?: Observe<C>,
): OperationHandler {
  const operation = model.name;
  // What each request in flight has shown so far, by its event (one object per request).
  const seen = new WeakMap<APIGatewayProxyEvent, Seen<C>>();
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(awsErrors(operation, seen as WeakMap<APIGatewayProxyEvent, Seen<unknown>>))
    .handler(async (event) => {
      const known: Seen<C> = seen.get(event) ?? { requestId: requestIdOf(event) };
      seen.set(event, known);
      const body = rawBody(event);
      if (body.length > MAX_REQUEST_BYTES) {
        throw new RequestEntityTooLargeException(
          `Request body of ${body.length} bytes exceeds the limit of ${MAX_REQUEST_BYTES} bytes.`,
        );
      }
      known.caller = await authenticate(event, body, { requestId: known.requestId, operation });
      known.parameters = parseBody(body);
      const input = validateInput<Input>(model, known.parameters);
      known.output = await run(input, known.caller);
      return jsonResponse(200, known.output ?? {}, known.requestId);
    });
  if (!observe) return stack;
  return (event, context) => {
    const receivedAt = new Date();
    const started = performance.now();
    const tally = newTally();
    const known: Seen<C> = { requestId: requestIdOf(event) };
    seen.set(event, known);
    return inRequestScope(tally, async () => {
      const response = await stack(event, context);
      try {
        await observe({
          operation,
          requestId: known.requestId,
          event,
          caller: known.caller,
          parameters: known.parameters,
          status: response.statusCode,
          errorCode: errorCodeOf(known.error),
          errorMessage: known.error instanceof SsmError ? known.error.message : undefined,
          output: known.output,
          receivedAt,
          started,
          tally,
        });
      } catch (error) {
        logFailure("observer failure", error, operation, known.requestId);
      }
      return response;
    });
  };
}
