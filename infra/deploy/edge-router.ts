/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) that lets API Gateway route each
 * operation to its own function. API Gateway can't route on `X-Amz-Target`, so the edge turns
 * `POST /` + `X-Amz-Target: AmazonSSM.<Op>` (or `EC2WindowsMessageDeliveryService.<Op>` for the
 * agent's message channel, ec2messages) into `POST /<Op>`, and passes on the host and path the
 * client signed (`x-ssm-viewer-host`, `x-ssm-viewer-path`), since CloudFront rewrites both.
 * Unknown or unsupported targets, and an operation under the other service's prefix, are
 * answered here, in AWS's shape.
 */
import { MESSAGES_TARGET_PREFIX, SSM_TARGET_PREFIX, targetOf } from "../../shared/protocol/targets.ts";

export function edgeRouterSource(operations: readonly string[]): string {
  const targets = JSON.stringify(Object.fromEntries(operations.map((name) => [targetOf(name), name])));
  const prefixes = JSON.stringify([SSM_TARGET_PREFIX, MESSAGES_TARGET_PREFIX]);
  return `var TARGETS = ${targets};
var PREFIXES = ${prefixes};

function unknownOperation(message) {
  return {
    statusCode: 400,
    statusDescription: "Bad Request",
    headers: { "content-type": { value: "application/x-amz-json-1.1" } },
    body: { encoding: "text", data: JSON.stringify({ __type: "UnknownOperationException", message: message }) },
  };
}

function handler(event) {
  var request = event.request;
  var target = request.headers["x-amz-target"] ? request.headers["x-amz-target"].value : "";
  var named = "";
  for (var i = 0; i < PREFIXES.length; i++) {
    if (target.indexOf(PREFIXES[i]) === 0) named = target.substring(PREFIXES[i].length);
  }
  if (!named) return unknownOperation("Missing or invalid X-Amz-Target header.");
  var operation = TARGETS[target];
  if (request.method !== "POST" || !operation) {
    return unknownOperation("Operation " + named + " is not supported by this service.");
  }
  request.headers["x-ssm-viewer-host"] = { value: request.headers.host ? request.headers.host.value : "" };
  request.headers["x-ssm-viewer-path"] = { value: request.uri };
  request.uri = "/" + operation;
  return request;
}
`;
}
