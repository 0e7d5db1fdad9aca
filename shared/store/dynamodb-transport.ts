/**
 * How the store's DynamoDB client signs and sends its calls: the SDK's whole pipeline
 * (serialization, endpoint, retries, errors, the document client's marshalling) with two of its
 * parts replaced by leaner ones that do the same for DynamoDB's JSON calls.
 *
 * - `KeepAliveHandler`, the HTTP handler: one `http(s).request` on a keep-alive agent, and the
 *   answer's body handed over as one buffer, not a stream the deserializer has to collect.
 * - `SigV4RequestSigner`, the signer: SigV4 with the signing key kept for the day (the SDK's
 *   signer builds a new signer object, and hashes the secret to look its key up, on every call).
 * - And two middleware taken off (`withoutUnusedMiddleware`).
 *
 * Why: every request of the API makes one to three DynamoDB calls, and each call cost about
 * 0.9–1.2 ms of CPU on the bench machine through the SDK, where the same HTTP exchange written
 * by hand costs about 0.3 ms. These parts were the largest pieces of the difference that are not
 * the SDK's serialization, retries or error decoding (kept, so behaviour on errors is the SDK's);
 * with them a GetItem takes about 0.25–0.4 ms less CPU.
 * test/infra/dynamodb-transport.test.ts checks the signature against the SDK's own signer.
 */
import { type Agent, Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { AwsCredentialIdentity, HttpHandlerOptions, Provider, RequestSigningArguments } from "@smithy/types";
import { formatAmzDate, headerOf, sha256Hex, signatureWith, signingKey, signingScope } from "../auth/sigv4.ts";

/** The SDK's own defaults for its node handler: keep-alive, up to 50 sockets per host. */
const MAX_SOCKETS = 50;

/** Errors Node reports for a connection that failed or closed under a call (the SDK's list). */
const TIMEOUT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * Told of each call's times when set (`npm start`'s load probe, infra/local/load-probe.ts): how
 * long it waited for one of the agent's sockets, then for its answer (DynamoDB's time and this
 * process's own delay in reading it), by its `X-Amz-Target`.
 */
export type TransportTimings = (target: string, socketWaitMs: number, answerMs: number) => void;
let timings: TransportTimings | undefined;

/** Starts (or, with none, stops) telling `observe` of every call's times. */
export function timeTransport(observe: TransportTimings | undefined): void {
  timings = observe;
}

export class KeepAliveHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private readonly agents: { http: Agent; https: Agent } = {
    http: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };

  handle(request: HttpRequest, { abortSignal }: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    return new Promise((resolve, reject) => {
      if (abortSignal?.aborted) return reject(abortError());
      const secure = request.protocol === "https:";
      const query = request.query ? new URLSearchParams(request.query as Record<string, string>).toString() : "";
      const hostname = request.hostname.startsWith("[") ? request.hostname.slice(1, -1) : request.hostname;
      const observe = timings;
      const started = observe ? performance.now() : 0;
      let connected = started;
      const call = (secure ? httpsRequest : httpRequest)(
        {
          agent: secure ? this.agents.https : this.agents.http,
          host: hostname,
          port: request.port,
          method: request.method,
          path: query ? `${request.path}?${query}` : request.path,
          headers: request.headers,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("error", reject);
          answer.on("end", () => {
            if (observe) {
              const target = headerOf(request.headers, "x-amz-target") ?? "";
              observe(target, connected - started, performance.now() - connected);
            }
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
            }
            const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            resolve({
              response: new HttpResponse({
                statusCode: answer.statusCode ?? -1,
                reason: answer.statusMessage,
                headers,
                body,
              }),
            });
          });
        },
      );
      if (observe) call.once("socket", () => (connected = performance.now()));
      // As the SDK's handler: a dropped connection is a TimeoutError, which its retry policy retries.
      call.on("error", (error: NodeJS.ErrnoException) =>
        reject(TIMEOUT_CODES.has(error.code ?? "") ? Object.assign(error, { name: "TimeoutError" }) : error),
      );
      if (abortSignal) {
        const onAbort = () => {
          call.destroy();
          reject(abortError());
        };
        const signal = abortSignal as AbortSignal;
        if (typeof signal.addEventListener === "function") {
          signal.addEventListener("abort", onAbort, { once: true });
          call.once("close", () => signal.removeEventListener("abort", onAbort));
        } else {
          abortSignal.onabort = onAbort;
        }
      }
      const body = request.body as string | Uint8Array | undefined;
      call.end(body);
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

const abortError = () => Object.assign(new Error("Request aborted"), { name: "AbortError" });

/** Headers the SDK's SigV4 never signs (proxies may change them), besides any `proxy-` and `sec-` ones. */
const UNSIGNED = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

type SignerOptions = {
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  region: string | Provider<string>;
  service: string;
};

/** The last signing key derived: a secret's key changes once a day per region and service. */
let lastKey: { secret: string; scope: string; key: Buffer } | undefined;

/**
 * SigV4 for a request the SDK built, as its own SignatureV4 signs it: every header but the
 * unsignable ones, with `x-amz-date`, the session token and the body's hash added first. The SDK
 * constructs it with the client's credential provider (`signerConstructor`) and passes the
 * clock-corrected date, region and service of each call.
 */
export class SigV4RequestSigner {
  constructor(private readonly options: SignerOptions) {}

  async sign(toSign: HttpRequest, args: RequestSigningArguments = {}): Promise<HttpRequest> {
    const { credentials, region, service } = this.options;
    const identity = typeof credentials === "function" ? await credentials() : credentials;
    const signingRegion = args.signingRegion ?? (typeof region === "function" ? await region() : region);
    const signingService = args.signingService ?? service;
    const amzDate = formatAmzDate(toDate(args.signingDate));
    const scope = { date: amzDate.slice(0, 8), region: signingRegion, service: signingService };

    const request = HttpRequest.clone(toSign);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      const lower = name.toLowerCase();
      if (lower !== "authorization" && lower !== "x-amz-date" && lower !== "x-amz-security-token") {
        headers[name] = value;
      }
    }
    headers["x-amz-date"] = amzDate;
    if (identity.sessionToken) headers["x-amz-security-token"] = identity.sessionToken;
    // The SDK's signer sends (and signs) the body's hash too, unless a header already has it.
    const body = (request.body ?? "") as Buffer | string;
    let payloadHash = headerOf(headers, "x-amz-content-sha256");
    if (payloadHash === undefined) {
      payloadHash = sha256Hex(body);
      headers["x-amz-content-sha256"] = payloadHash;
    }
    request.headers = headers;

    const byName: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (!UNSIGNED.has(lower) && !lower.startsWith("proxy-") && !lower.startsWith("sec-")) byName[lower] = value;
    }
    const signedHeaders = Object.keys(byName).sort();
    const authorization = { accessKeyId: identity.accessKeyId, ...scope, signedHeaders, signature: "" };
    const signature = signatureWith(
      keyFor(identity.secretAccessKey, scope),
      {
        method: request.method,
        path: request.path,
        query: (request.query ?? null) as Record<string, string | undefined> | null,
        headers: byName,
        body,
        payloadHash,
        host: byName.host ?? request.hostname,
      },
      authorization,
      amzDate,
    );
    headers.authorization =
      `AWS4-HMAC-SHA256 Credential=${identity.accessKeyId}/${signingScope(scope)}/aws4_request, ` +
      `SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
    return request;
  }
}

function keyFor(secret: string, scope: { date: string; region: string; service: string }): Buffer {
  const scopeId = signingScope(scope);
  if (lastKey?.secret === secret && lastKey.scope === scopeId) return lastKey.key;
  const key = signingKey(secret, scope);
  lastKey = { secret, scope: scopeId, key };
  return key;
}

/** The SDK's reading of a signing date: a Date, epoch seconds, or a date string. */
function toDate(date: RequestSigningArguments["signingDate"]): Date {
  if (date === undefined) return new Date();
  if (typeof date === "number") return new Date(date * 1000);
  if (typeof date === "string") return Number(date) ? new Date(Number(date) * 1000) : new Date(date);
  return date;
}

/** The client settings that put both parts in place. */
export const leanTransport = () => ({ requestHandler: new KeepAliveHandler(), signerConstructor: SigV4RequestSigner });

/**
 * The SDK middleware a DynamoDB call does not need, taken off the client: the user agent string
 * (built for every call, and only AWS's usage statistics read it) and the logger's (no logger is
 * configured, so it logs nothing). Together about 0.1–0.2 ms of CPU a call on the bench machine.
 */
export function withoutUnusedMiddleware<T extends { middlewareStack: { remove(name: string): boolean } }>(
  client: T,
): T {
  client.middlewareStack.remove("getUserAgentMiddleware");
  client.middlewareStack.remove("loggerMiddleware");
  return client;
}
