/**
 * The CloudFront Functions (cloudfront-js-2.0) at the edge.
 *
 * The router (viewer request) lets API Gateway route each operation to its own function. API
 * Gateway can't route on `X-Amz-Target`, so the edge turns `POST /` + `X-Amz-Target:
 * AmazonSSM.<Op>` (or `EC2WindowsMessageDeliveryService.<Op>` for the agent's message channel,
 * ec2messages) into `POST /<Op>`, and passes on the host and path the client signed
 * (`x-ssm-viewer-host`, `x-ssm-viewer-path`), since CloudFront rewrites both. Unknown or
 * unsupported targets, and an operation under the other service's prefix, are answered here, in
 * AWS's shape. It also answers CORS preflights.
 *
 * CORS is as narrow as the web console needs: the console is served by the same distribution
 * (/console/), so the only origin allowed is the distribution's own, `https://<Host>` as the
 * viewer addressed it (its cloudfront.net name or an alias); POST only; the headers the SDK sends;
 * the response headers the SDK reads exposed. The lists are the local endpoint's (infra/local/cors.ts).
 */
import { MESSAGES_TARGET_PREFIX, SSM_TARGET_PREFIX, targetOf } from "../../shared/protocol/targets.ts";
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE } from "../local/cors.ts";

/** Shared by the functions: is this request's Origin the distribution's own? */
const ORIGIN_CHECK = `function allowedOrigin(request) {
  var origin = request.headers.origin ? request.headers.origin.value : "";
  var host = request.headers.host ? request.headers.host.value : "";
  return origin && host && origin === "https://" + host ? origin : "";
}`;

export function edgeRouterSource(operations: readonly string[]): string {
  const targets = JSON.stringify(Object.fromEntries(operations.map((name) => [targetOf(name), name])));
  const prefixes = JSON.stringify([SSM_TARGET_PREFIX, MESSAGES_TARGET_PREFIX]);
  return `var TARGETS = ${targets};
var PREFIXES = ${prefixes};

${ORIGIN_CHECK}

function corsHeaders(headers, origin) {
  if (origin) {
    headers["access-control-allow-origin"] = { value: origin };
    headers["access-control-expose-headers"] = { value: ${JSON.stringify(CORS_EXPOSE_HEADERS.join(", "))} };
    headers.vary = { value: "Origin" };
  }
  return headers;
}

function unknownOperation(message, origin) {
  return {
    statusCode: 400,
    statusDescription: "Bad Request",
    headers: corsHeaders({ "content-type": { value: "application/x-amz-json-1.1" } }, origin),
    body: { encoding: "text", data: JSON.stringify({ __type: "UnknownOperationException", message: message }) },
  };
}

function preflight(origin) {
  if (!origin) return { statusCode: 403, statusDescription: "Forbidden", headers: { vary: { value: "Origin" } } };
  var headers = corsHeaders({}, origin);
  headers["access-control-allow-methods"] = { value: "POST" };
  headers["access-control-allow-headers"] = { value: ${JSON.stringify(CORS_ALLOW_HEADERS.join(", "))} };
  headers["access-control-max-age"] = { value: "${CORS_MAX_AGE}" };
  return { statusCode: 204, statusDescription: "No Content", headers: headers };
}

function handler(event) {
  var request = event.request;
  var origin = allowedOrigin(request);
  if (request.method === "OPTIONS") return preflight(origin);
  var target = request.headers["x-amz-target"] ? request.headers["x-amz-target"].value : "";
  var named = "";
  for (var i = 0; i < PREFIXES.length; i++) {
    if (target.indexOf(PREFIXES[i]) === 0) named = target.substring(PREFIXES[i].length);
  }
  if (!named) return unknownOperation("Missing or invalid X-Amz-Target header.", origin);
  var operation = TARGETS[target];
  if (request.method !== "POST" || !operation) {
    return unknownOperation("Operation " + named + " is not supported by this service.", origin);
  }
  request.headers["x-ssm-viewer-host"] = { value: request.headers.host ? request.headers.host.value : "" };
  request.headers["x-ssm-viewer-path"] = { value: request.uri };
  request.uri = "/" + operation;
  return request;
}
`;
}

/** Viewer response of the API: the CORS allowance on the functions' answers. */
export function edgeCorsSource(): string {
  return `${ORIGIN_CHECK}

function handler(event) {
  var response = event.response;
  var origin = allowedOrigin(event.request);
  if (origin) {
    response.headers["access-control-allow-origin"] = { value: origin };
    response.headers["access-control-expose-headers"] = { value: ${JSON.stringify(CORS_EXPOSE_HEADERS.join(", "))} };
    response.headers.vary = { value: "Origin" };
  }
  return response;
}
`;
}

/**
 * Viewer request of the console's static files (S3 has no index documents behind an origin
 * access control): `/console` becomes `/console/`, and a folder its `index.html`.
 */
export function consoleRouterSource(): string {
  return `function handler(event) {
  var request = event.request;
  if (request.uri === "/console") {
    return { statusCode: 301, statusDescription: "Moved Permanently", headers: { location: { value: "/console/" } } };
  }
  if (request.uri.charAt(request.uri.length - 1) === "/") request.uri += "index.html";
  return request;
}
`;
}
