/**
 * The one middleware stack every operation handler is built with: read the body as received,
 * authenticate, validate against the service model, run the operation, serialize the answer, and
 * turn any failure into an AWS-shaped error. A handler file only supplies the operation's name,
 * how its caller proves who it is, and the body.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { verifyNodeSignature } from "../auth/node-signature.ts";
import type { SignedRequest } from "../auth/sigv4.ts";
import { config, MAX_REQUEST_BYTES } from "../config.ts";
import type { NodeIdentityRecord } from "../domain/nodes/records.ts";
import { InternalServerError, RequestEntityTooLargeException, SsmError } from "../errors.ts";
import { authenticator, nodeStore } from "../runtime.ts";
import { validateInput } from "../validation/validate.ts";
import { header, jsonResponse, parseBody, rawBody, requestIdOf } from "./json-protocol.ts";
import type { RequestContext } from "./request-context.ts";
import { signingServiceOf } from "./targets.ts";

export type OperationHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** What an unsigned operation knows of its caller: nothing but the request. */
export type AnonymousContext = { readonly requestId: string; readonly operation: string };

/** A request signed by a registered node with its RSA key. */
export type NodeSignedContext = AnonymousContext & { readonly identity: NodeIdentityRecord; readonly region: string };

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
 * The request as the client signed it. The host and path are those the client used: behind the
 * deployed edge, which rewrites both, they arrive in `x-ssm-viewer-host` (the header named by
 * SIGNED_HOST_HEADER) and `x-ssm-viewer-path`.
 */
function signedRequest(event: APIGatewayProxyEvent, body: Buffer): SignedRequest {
  return {
    method: event.httpMethod,
    path: header(event.headers, "x-ssm-viewer-path") ?? event.path,
    query: event.queryStringParameters,
    headers: event.headers,
    body,
    host: header(event.headers, config().signedHostHeader),
  };
}

type Authenticate<C> = (event: APIGatewayProxyEvent, body: Buffer, base: AnonymousContext) => Promise<C>;

function operationHandler<Input, Output, C>(
  operation: string,
  authenticate: Authenticate<C>,
  run: (input: Input, context: C) => Promise<Output>,
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
      const context = await authenticate(event, body, { requestId, operation });
      const input = validateInput<Input>(operation, parseBody(body));
      const output = await run(input, context);
      return jsonResponse(200, output ?? {}, requestId);
    });
}

/**
 * An operation called with account or node credentials, verified with SigV4: nearly all of them.
 * The signature must be scoped to the operation's own service (`ssm`, or `ec2messages` for the
 * message delivery operations), so neither service's operations answer the other's signatures.
 */
export function ssmOperation<Input, Output>(
  operation: string,
  run: (input: Input, context: RequestContext) => Promise<Output>,
): OperationHandler {
  return operationHandler(
    operation,
    async (event, body, base) => {
      const principal = await (await authenticator()).authenticate(
        signedRequest(event, body),
        signingServiceOf(operation),
      );
      return { ...base, accountId: principal.accountId, region: principal.region, principal };
    },
    run,
  );
}

/** An operation the SSM Agent calls before it has any credentials (registration). */
export function unsignedOperation<Input, Output>(
  operation: string,
  run: (input: Input, context: AnonymousContext) => Promise<Output>,
): OperationHandler {
  return operationHandler(operation, async (_event, _body, base) => base, run);
}

/** An operation a registered node signs with its RSA key (to get credentials, or rotate the key). */
export function nodeSignedOperation<Input, Output>(
  operation: string,
  run: (input: Input, context: NodeSignedContext) => Promise<Output>,
): OperationHandler {
  return operationHandler(
    operation,
    async (event, body, base) => {
      const store = nodeStore();
      const verified = await verifyNodeSignature(signedRequest(event, body), (id) => store.getIdentity(id), new Date());
      return { ...base, ...verified };
    },
    run,
  );
}
