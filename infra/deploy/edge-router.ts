/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) that lets API Gateway route each
 * operation to its own function. API Gateway can't route on `X-Amz-Target`, so the edge turns
 * `POST /` + `X-Amz-Target: AmazonSSM.<Op>` into `POST /<Op>`, and passes on the host and path the
 * client signed (`x-ssm-viewer-host`, `x-ssm-viewer-path`), since CloudFront rewrites both.
 * Unknown or unsupported targets are answered here, in AWS's shape.
 */
export function edgeRouterSource(operations: readonly string[]): string {
  const known = JSON.stringify(Object.fromEntries(operations.map((name) => [name, true])));
  return `var OPERATIONS = ${known};

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
  var operation = target.indexOf("AmazonSSM.") === 0 ? target.substring("AmazonSSM.".length) : "";
  if (!operation) return unknownOperation("Missing or invalid X-Amz-Target header.");
  if (request.method !== "POST" || !OPERATIONS[operation]) {
    return unknownOperation("Operation " + operation + " is not supported by this service.");
  }
  request.headers["x-ssm-viewer-host"] = { value: request.headers.host ? request.headers.host.value : "" };
  request.headers["x-ssm-viewer-path"] = { value: request.uri };
  request.uri = "/" + operation;
  return request;
}
`;
}
