/**
 * The server's own time: each request is handed to the operation's real handler in this process
 * (the API Gateway event a deployed function receives, signed beforehand), inside a DynamoDB
 * meter. What the handler takes beyond the time its DynamoDB calls were in flight is ours:
 * SigV4 verification, the credential lookup, validation, the domain's work and serialization.
 * The HTTP adapter and the client are outside it; they are the difference to the HTTP figures.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context } from "aws-lambda";
import type { Identity } from "../../test/support/identity.ts";
import { handlerOf, signedEvent } from "../../test/support/invoke.ts";
import type { Environment } from "./environment.ts";
import { median, percentile } from "./load.ts";
import { describeCalls, dynamoTime, type Tally } from "./meter.ts";
import { caller } from "./operations.ts";

/** One request in process: its answer (status and body), its time, and its DynamoDB calls. */
export type Metered = { status: number; body: string; ms: number; dynamoMs: number; tally: Tally };

export async function meteredInvoke(
  env: Environment,
  operation: string,
  request: Record<string, unknown>,
  identity: Identity,
): Promise<Metered> {
  const handler = await handlerOf(operation);
  const event = await signedEvent(operation, toJson11(request), { identity });
  const run = await env.meter.run(() => handler(event, {} as Context));
  if (run.result.statusCode !== 200) throw new Error(`${operation}: ${run.result.statusCode} ${run.result.body}`);
  return {
    status: run.result.statusCode,
    body: run.result.body,
    ms: run.ms,
    dynamoMs: dynamoTime(run.tally),
    tally: run.tally,
  };
}

/** The body the SDK sends: JSON 1.1 carries timestamps as epoch seconds. */
function toJson11(request: Record<string, unknown>): string {
  return JSON.stringify(request, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

export type Overhead = {
  operation: string;
  requests: number;
  /** The handler's time, p50. */
  handlerP50: number;
  /** Time with a DynamoDB call in flight, p50. */
  dynamoP50: number;
  /** The same requests over HTTP through the local adapter with the SDK client, p50. */
  httpP50: number;
  /** The SDK client and an HTTP round trip to a server that answers `{}` at once, p50. */
  clientFloorP50: number;
  /** Handler minus DynamoDB per request, p50 and p99: the server's own time. */
  oursP50: number;
  oursP99: number;
  /** DynamoDB calls, round trips (calls in flight together count once) and capacity units of one request. */
  calls: number;
  roundTrips: number;
  callList: string;
  capacity: number | undefined;
};

/** Round trips: groups of calls in flight together. */
export function roundTrips(tally: Tally): number {
  const spans = [...tally.calls].sort((a, b) => a.start - b.start);
  let trips = 0;
  let close = Number.NEGATIVE_INFINITY;
  for (const call of spans) {
    if (call.start >= close) trips++;
    close = Math.max(close, call.end);
  }
  return trips;
}

/**
 * A server that answers every request with `{}` at once: what the SDK client and an HTTP round
 * trip on this machine cost by themselves.
 */
export async function startCannedServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "canned" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A request refused for the state an earlier refused request left (UpdateAssociationStatus's
 * StatusUnchanged after a lost race in the throughput phase) is sent again, as the next request.
 */
async function retried<T>(send: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(attempt);
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

/**
 * `requests` requests in a row, each three ways in turn so all three see the same conditions:
 * in process inside the meter, over HTTP to the local endpoint, and over HTTP to the canned server.
 */
export async function overhead(
  env: Environment,
  canned: string,
  operation: string,
  requests: number,
  request: (i: number) => Record<string, unknown>,
  identity: Identity,
): Promise<Overhead> {
  const http = caller(env.server.url, identity);
  const floor = caller(canned, identity);
  // Warm the handler, its caches (the credential cache), the connections and the JIT first.
  // The warm-up asks DynamoDB for the capacity each call consumes; the timed requests don't, as
  // the service never does (DynamoDB Local works it out item by item, which would count as the
  // calls' time).
  let warm: Metered | undefined;
  env.meter.capacity = true;
  try {
    for (let i = 0; i < Math.min(20, requests); i++) {
      warm = await retried((n) => meteredInvoke(env, operation, request(1_000_000 + n * 100_000 + i), identity));
      await retried((n) => http.send(operation, request(1_500_000 + n * 50_000 + i)));
      await floor.send(operation, request(1_700_000 + i));
    }
  } finally {
    env.meter.capacity = false;
  }
  const runs: Metered[] = [];
  const overHttp: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < requests; i++) {
    runs.push(await retried((n) => meteredInvoke(env, operation, request(2_000_000 + n * 250_000 + i), identity)));
    overHttp.push(await timed(() => retried((n) => http.send(operation, request(3_000_000 + n * 250_000 + i)))));
    floorTimes.push(await timed(() => floor.send(operation, request(4_000_000 + i))));
  }
  const ours = runs.map((r) => r.ms - r.dynamoMs).sort((a, b) => a - b);
  const last = runs[runs.length - 1] as Metered;
  return {
    operation,
    requests,
    handlerP50: median(runs.map((r) => r.ms)),
    dynamoP50: median(runs.map((r) => r.dynamoMs)),
    httpP50: median(overHttp),
    clientFloorP50: median(floorTimes),
    oursP50: percentile(ours, 50),
    oursP99: percentile(ours, 99),
    calls: last.tally.calls.length,
    roundTrips: roundTrips(last.tally),
    callList: describeCalls(last.tally),
    capacity: warm?.tally.calls.some((c) => c.capacity !== undefined)
      ? warm.tally.calls.reduce((sum, c) => sum + (c.capacity ?? 0), 0)
      : undefined,
  };
}
