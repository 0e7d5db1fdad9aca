/**
 * CORS on the local endpoint, as narrow as the console needs: its own origins only, POST only,
 * the SDK's request headers, and the response headers the SDK reads exposed.
 */
import { describe, expect, it } from "vitest";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";

const server = useLocalEndpoint();

const preflight = (origin: string, method = "POST") =>
  fetch(`${server.url}/`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": method,
      "Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent",
    },
  });

describe("CORS on the local endpoint", () => {
  it("answers a preflight from the console's origin with POST and the SDK's headers only", async () => {
    const port = new URL(server.url).port;
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const answer = await preflight(origin);
      expect(answer.status).toBe(204);
      expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
      expect(answer.headers.get("access-control-allow-methods")).toBe("POST");
      const allowed = answer.headers.get("access-control-allow-headers")?.split(", ") ?? [];
      for (const name of ["authorization", "content-type", "x-amz-date", "x-amz-target", "x-amz-security-token"]) {
        expect(allowed).toContain(name);
      }
      expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("gives a foreign origin nothing: no allowance on the preflight or the answer", async () => {
    const answer = await preflight("https://evil.example");
    expect(answer.status).toBe(403);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    const headers = await signedHeaders("ListDocuments", "{}", DEFAULT_IDENTITY, { host: server.host });
    const response = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { ...headers, Origin: "https://evil.example" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("exposes the request id on answers and refusals to the console's origin", async () => {
    const origin = `http://localhost:${new URL(server.url).port}`;
    const headers = await signedHeaders("ListDocuments", "{}", DEFAULT_IDENTITY, { host: server.host });
    const ok = await fetch(`${server.url}/`, { method: "POST", headers: { ...headers, Origin: origin }, body: "{}" });
    expect(ok.headers.get("access-control-allow-origin")).toBe(origin);
    expect(ok.headers.get("access-control-expose-headers")).toContain("x-amzn-RequestId");
    const unknown = await fetch(`${server.url}/`, {
      method: "POST",
      headers: {
        Origin: origin,
        "X-Amz-Target": "AmazonSSM.NoSuchOperation",
        "Content-Type": "application/x-amz-json-1.1",
      },
      body: "{}",
    });
    expect((await unknown.json()).__type).toBe("UnknownOperationException");
    expect(unknown.headers.get("access-control-allow-origin")).toBe(origin);
  });
});
