import { describe, expect, it } from "vitest";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";

const server = useLocalEndpoint();

async function send(init: { method?: string; target?: string; body?: string }) {
  const headers: Record<string, string> = { "Content-Type": "application/x-amz-json-1.1" };
  if (init.target) headers["X-Amz-Target"] = init.target;
  const response = await fetch(`${server.url}/`, { method: init.method ?? "POST", headers, body: init.body });
  return { status: response.status, body: await response.json(), requestId: response.headers.get("x-amzn-requestid") };
}

describe("the edge of the local endpoint", () => {
  it("answers UnknownOperationException for a missing, foreign or unknown target, or a GET", async () => {
    const content = JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "a" }] });
    const body = JSON.stringify({ Name: "edge-doc", Content: content });
    const before = await server.table.items();
    for (const request of [
      { body },
      { target: "DynamoDB_20120810.CreateTable", body },
      { target: "AmazonSSM.CreateDocuments", body },
      { target: "AmazonSSM.CreateDocument", method: "GET" },
    ]) {
      const answer = await send(request);
      expect(answer.status).toBe(400);
      expect(answer.body.__type).toBe("UnknownOperationException");
      expect(answer.requestId).toEqual(expect.any(String));
    }
    expect(await server.table.items()).toEqual(before);
  });

  it("serves a known target posted to /, signed for the host the client used", async () => {
    const headers = await signedHeaders("ListDocuments", "{}", DEFAULT_IDENTITY, { host: server.host });
    const response = await fetch(`${server.url}/`, { method: "POST", headers, body: "{}" });
    expect(response.status).toBe(200);
    expect(Array.isArray((await response.json()).DocumentIdentifiers)).toBe(true);
  });

  it("refuses a body larger than API Gateway passes on (10 MB) before any handler", async () => {
    const answer = await send({ target: "AmazonSSM.ListDocuments", body: "x".repeat(10 * 1024 * 1024 + 1) });
    expect(answer.status).toBe(413);
    expect(answer.body.__type).toBe("RequestEntityTooLargeException");
  });

  it("refuses an unsigned request before doing anything", async () => {
    const answer = await send({ target: "AmazonSSM.ListDocuments", body: "{}" });
    expect(answer).toMatchObject({
      status: 400,
      body: { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" },
    });
  });
});
