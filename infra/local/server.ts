/**
 * The local endpoint: an HTTP adapter, nothing more. Each request becomes the API Gateway proxy
 * event a deployed function receives, and is answered by that very handler module. Unknown
 * targets are answered here, at the edge, as the deployed edge answers them.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { MAX_MESSAGE_POLL_HOLD_SECONDS } from "../../shared/config.ts";
import { RequestEntityTooLargeException, ThrottlingException, UnknownOperationException } from "../../shared/errors.ts";
import { inWorkSlot } from "../../shared/lib/work-slot.ts";
import { jsonResponse } from "../../shared/protocol/json-protocol.ts";
import type { OperationHandler } from "../../shared/protocol/operation.ts";
import { operationOfTarget } from "../../shared/protocol/targets.ts";
import { Admission, type AdmissionLimits, admissionLimitsFrom } from "./admission.ts";
import { serveConsole } from "./console-files.ts";
import { corsHeaders, localConsoleOrigins, preflightHeaders } from "./cors.ts";
import { loadHandlers } from "./operations.ts";
import { proxyEvent } from "./proxy-event.ts";

export type LocalServer = {
  url: string;
  port: number;
  /** Its admission control (admission.ts): how many requests are at work and in line. */
  admission: Admission;
  close: () => Promise<void>;
};

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

/** Lambda's most a function may run (900 s): what the local context says is left. */
const LOCAL_FUNCTION_TIMEOUT_MS = 900_000;

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
    // Lambda's longest timeout: locally nothing cuts a request off. With a shorter one (30 s
    // before issue 30) the stack answers InternalServerError at it while the request's work goes
    // on and may still write; admission control (admission.ts) keeps requests from queueing
    // towards any deadline, so an admitted request finishes and answers what it did.
    getRemainingTimeInMillis: () => LOCAL_FUNCTION_TIMEOUT_MS,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A message poll waits in line at most the longest hold: past it, its agent is about to give up on it (20 s). */
const POLL_PATIENCE = { patienceMs: MAX_MESSAGE_POLL_HOLD_SECONDS * 1000 };

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

function send(response: ServerResponse, result: APIGatewayProxyResult, cors: Record<string, string> = {}): void {
  response.writeHead(result.statusCode, { ...(result.headers as Record<string, string>), ...cors });
  response.end(result.body);
}

type Site = {
  handlers: Map<string, OperationHandler>;
  consoleDir?: string;
  origins: () => ReadonlySet<string>;
  admission: Admission;
  refusals: RefusalReport;
};

/** How often the log says how many requests admission control refused (at most; never when none). */
const REFUSAL_REPORT_MS = 10_000;

/** Counts refusals and reports them on stderr at most every REFUSAL_REPORT_MS: an overloaded server says so. */
class RefusalReport {
  #since = 0;
  #lastAt = 0;

  refused(admission: Admission): void {
    this.#since++;
    const now = Date.now();
    if (now - this.#lastAt < REFUSAL_REPORT_MS) return;
    console.error(
      JSON.stringify({
        level: "warn",
        message: "overloaded: requests refused with ThrottlingException (admission control, docs/reliability.md)",
        refused: this.#since,
        ...admission.load,
        limits: admission.limits,
      }),
    );
    this.#since = 0;
    this.#lastAt = now;
  }
}

async function answer(site: Site, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (site.consoleDir && (await serveConsole(site.consoleDir, request, response))) return;
  const origin = request.headers.origin;
  if (request.method === "OPTIONS") {
    const preflight = preflightHeaders(origin, site.origins());
    response.writeHead(preflight.status, preflight.headers);
    response.end();
    return;
  }
  const cors = corsHeaders(origin, site.origins());
  const { handlers } = site;
  const body = await readBody(request);
  if (!body) {
    const error = new RequestEntityTooLargeException(`Request bodies are limited to ${EDGE_MAX_BODY_BYTES} bytes.`);
    send(response, jsonResponse(error.status, error.toJSON(), randomUUID()), cors);
    return;
  }
  // `AmazonSSM.<Op>` for SSM, `EC2WindowsMessageDeliveryService.<Op>` for the agent's message
  // channel; each operation only under its own service's prefix.
  const target = request.headers["x-amz-target"] as string | undefined;
  const { operation, known } = operationOfTarget(target);
  const handler = operation ? handlers.get(operation) : undefined;
  if (!operation || !handler || request.method !== "POST") {
    const named = operation ?? (known ? target?.slice(target.indexOf(".") + 1) : undefined);
    const error = new UnknownOperationException(
      named ? `Operation ${named} is not supported by this service.` : "Missing or invalid X-Amz-Target header.",
    );
    send(response, jsonResponse(error.status, error.toJSON(), randomUUID()), cors);
    return;
  }
  // Admission control (admission.ts): refused before the handler runs, so a refused request did nothing.
  // The agent's message poll waits in line up to its hold, never refused sooner (admission.ts says why).
  const admitted = await site.admission.enter(operation === "GetMessages" ? POLL_PATIENCE : undefined);
  if (!admitted) {
    site.refusals.refused(site.admission);
    const error = new ThrottlingException("Rate exceeded");
    send(response, jsonResponse(error.status, error.toJSON(), randomUUID()), cors);
    return;
  }
  try {
    const event = toProxyEvent(request, body, operation);
    const context = lambdaContext(operation, event.requestContext.requestId);
    send(response, await inWorkSlot(admitted, () => handler(event, context)), cors);
  } finally {
    admitted.leave();
  }
}

/**
 * How long an idle keep-alive connection is kept open. Node's default, 5 s, is exactly how long
 * Node's own client keeps an idle socket (http.globalAgent's timeout): a client that reuses its
 * socket just as the server closes it sees ECONNRESET (nodejs/node#47130, #52649), which is how
 * the fleet's calls were reset under load (issue 30). Longer than the client's, the client always
 * closes first. Not much longer: every idle connection is an open file (20,000 at most here).
 */
const KEEP_ALIVE_MS = 15_000;

export type LocalServerOptions = {
  port: number;
  host?: string;
  /** The built web console to serve at /console/ (console/build.ts); none when absent. */
  consoleDir?: string;
  /** Origins besides the server's own that may call the API from a browser (a console served elsewhere). */
  consoleOrigins?: readonly string[];
  /** Admission control's limits (admission.ts); from the environment when not given. */
  admission?: AdmissionLimits;
};

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const handlers = await loadHandlers();
  let origins: ReadonlySet<string> = new Set();
  const site: Site = {
    handlers,
    consoleDir: options.consoleDir,
    origins: () => origins,
    admission: new Admission(options.admission ?? admissionLimitsFrom()),
    refusals: new RefusalReport(),
  };
  const server: Server = createServer((request, response) => {
    answer(site, request, response).catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", message: "local adapter failure", error: String(error) }));
      if (!response.headersSent) {
        send(
          response,
          jsonResponse(500, { __type: "InternalServerError", message: "An internal error occurred." }, randomUUID()),
        );
      }
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origins = localConsoleOrigins(host, port, options.consoleOrigins);
  return {
    url: `http://${host}:${port}`,
    port,
    admission: site.admission,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
