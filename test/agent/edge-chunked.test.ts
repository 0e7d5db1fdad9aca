/**
 * Issue 14, bug 3, deployed: the agent's chunked request (`Transfer-Encoding: chunked`, no
 * `Content-Length`) as the deployed stack hands it to a function: routed by the edge router
 * (CloudFront Function), then delivered by API Gateway as a REST proxy event with the origin's
 * Host, the client's host in `x-ssm-viewer-host` and the framing header passed on.
 */
import { runInNewContext } from "node:vm";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { edgeRouterSource } from "../../infra/deploy/edge-router.ts";
import { operationNames } from "../../infra/local/operations.ts";
import { FakeAgent } from "../support/agent.ts";
import { AGENT_USER_AGENT } from "../support/agent-http.ts";
import { type Identity, signedHeaders } from "../support/identity.ts";
import { invoke, invokeEvent } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const VIEWER_HOST = "d111111abcdef8.cloudfront.net";
type EdgeRequest = { method: string; uri: string; headers: Record<string, { value: string }> };
const route = runInNewContext(`${edgeRouterSource(operationNames())}; handler`) as (event: {
  request: EdgeRequest;
}) => EdgeRequest & { statusCode?: number };

/** What API Gateway gives the function for the client's request, after the edge routed it. */
function deployedEvent(clientHeaders: Record<string, string>, body: string): APIGatewayProxyEvent {
  const viewer: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(clientHeaders)) viewer[name.toLowerCase()] = { value };
  const routed = route({ request: { method: "POST", uri: "/", headers: viewer } });
  expect(routed.statusCode, "the edge routes the request").toBeUndefined();
  const headers: Record<string, string> = {};
  for (const [name, { value }] of Object.entries(routed.headers)) {
    if (name !== "host" && name !== "content-length") headers[name] = value;
  }
  Object.assign(headers, {
    Host: "abcdef1234.execute-api.us-east-1.amazonaws.com",
    "Transfer-Encoding": "chunked",
    Via: "2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
    "X-Forwarded-For": "203.0.113.10, 15.158.0.1",
    "X-Forwarded-Proto": "https",
    "CloudFront-Forwarded-Proto": "https",
  });
  const operation = routed.uri.slice(1);
  return {
    resource: routed.uri,
    path: routed.uri,
    httpMethod: "POST",
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: `edge-${Math.random().toString(16).slice(2)}`,
      resourcePath: routed.uri,
      httpMethod: "POST",
      path: `/v1/${operation}`,
      stage: "v1",
    } as APIGatewayProxyEvent["requestContext"],
  };
}

let agent: FakeAgent;

beforeAll(async () => {
  // Deployed, the signed host is the viewer's (template.yaml sets this for every function).
  await freshTable({ signedHostHeader: "x-ssm-viewer-host" });
  const activation = await invoke(
    "CreateActivation",
    { IamRole: "SSMServiceRole" },
    { headers: { "x-ssm-viewer-host": "ssm.test.local" } },
  );
  expect(activation.status).toBe(200);
  agent = new FakeAgent();
  expect(
    (await agent.register(activation.body.ActivationId as string, activation.body.ActivationCode as string)).status,
  ).toBe(200);
});

describe("chunked agent bodies through the deployed edge's event shape", () => {
  let identity: Identity;

  it("RequestManagedInstanceRoleToken: credentials, never a refusal", async () => {
    const signed = agent.signedEvent(
      "RequestManagedInstanceRoleToken",
      { Fingerprint: agent.fingerprint },
      { host: VIEWER_HOST },
    );
    const event = deployedEvent(
      { ...(signed.headers as Record<string, string>), "User-Agent": AGENT_USER_AGENT },
      signed.body as string,
    );
    expect(event.headers["Content-Length"] ?? event.headers["content-length"]).toBeUndefined();
    const answer = await invokeEvent("RequestManagedInstanceRoleToken", event);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    identity = {
      accessKeyId: answer.body.AccessKeyId as string,
      secretAccessKey: answer.body.SecretAccessKey as string,
      sessionToken: answer.body.SessionToken as string,
    };
  });

  it("the node's next calls (heartbeat, association poll), chunked, signed with its credentials", async () => {
    const id = agent.instanceId as string;
    for (const [operation, request] of [
      [
        "UpdateInstanceInformation",
        {
          AgentName: "amazon-ssm-agent",
          AgentStatus: "Active",
          AgentVersion: "3.3.1142.0",
          InstanceId: id,
          PlatformType: "Linux",
        },
      ],
      ["ListInstanceAssociations", { InstanceId: id, MaxResults: 20 }],
    ] as const) {
      const body = JSON.stringify(request);
      const headers = await signedHeaders(operation, body, identity, { host: VIEWER_HOST });
      const answer = await invokeEvent(operation, deployedEvent({ ...headers, "User-Agent": AGENT_USER_AGENT }, body));
      expect(answer.status, `${operation}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });
});
