import type { APIGatewayProxyEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  type Authorization,
  expectedSignature,
  formatAmzDate,
  parseAuthorization,
  type SignedRequest,
} from "../../shared/auth/sigv4.ts";
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
} from "../../shared/errors.ts";
import { signedRequest } from "../../shared/protocol/signed-request.ts";
import { signedHeaders, TEST_HOST } from "../support/identity.ts";

function request(headers: Record<string, string>, body: string): SignedRequest {
  return { method: "POST", path: "/", query: null, headers, body: Buffer.from(body), host: headers.host };
}

describe("SigV4 signatures", () => {
  it("are the ones the AWS SDK's signer computes, for any body and identity", async () => {
    const bodies = ["{}", JSON.stringify({ Name: "ünïcode-✓", Content: "x".repeat(3000) }), ""];
    for (const [i, body] of bodies.entries()) {
      const identity = {
        accessKeyId: `AKIDEXAMPLE${i}`,
        secretAccessKey: `secret/+${i}`,
        region: i ? "eu-west-1" : "us-east-1",
      };
      const headers = await signedHeaders("CreateDocument", body, identity);
      const authorization = parseAuthorization(headers);
      const ours = expectedSignature(
        request(headers, body),
        authorization,
        headers["x-amz-date"] as string,
        identity.secretAccessKey,
      );
      expect(ours).toBe(authorization.signature);
      expect(authorization).toMatchObject({
        accessKeyId: identity.accessKeyId,
        region: identity.region,
        service: "ssm",
      });
    }
  });

  it("change with the body, a signed header, the secret or the host", async () => {
    const headers = await signedHeaders("ListDocuments", "{}");
    const authorization: Authorization = parseAuthorization(headers);
    const date = headers["x-amz-date"] as string;
    const base = expectedSignature(request(headers, "{}"), authorization, date, "test");
    expect(base).toBe(authorization.signature);
    expect(expectedSignature(request(headers, "{ }"), authorization, date, "test")).not.toBe(base);
    expect(
      expectedSignature(
        request({ ...headers, "x-amz-target": "AmazonSSM.DeleteDocument" }, "{}"),
        authorization,
        date,
        "test",
      ),
    ).not.toBe(base);
    expect(expectedSignature(request(headers, "{}"), authorization, date, "tesT")).not.toBe(base);
    expect(
      expectedSignature({ ...request(headers, "{}"), host: `x.${TEST_HOST}` }, authorization, date, "test"),
    ).not.toBe(base);
  });
});

describe("the signed headers", () => {
  it("are found in any spelling: API Gateway keeps the client's (botocore sends X-Amz-Date)", async () => {
    const headers = await signedHeaders("ListDocuments", "{}");
    const spelled = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase()), value]),
    );
    expect(Object.keys(spelled)).toContain("X-Amz-Date");
    const authorization = parseAuthorization(spelled);
    const date = headers["x-amz-date"] as string;
    // As the handler sees them (signedRequest lower-cases the names once) and as given.
    const event = { httpMethod: "POST", path: "/", queryStringParameters: null, headers: spelled, body: "{}" };
    const received = signedRequest(event as unknown as APIGatewayProxyEvent, Buffer.from("{}"), "host");
    expect(expectedSignature(received, authorization, date, "test")).toBe(authorization.signature);
    const given = { ...request(spelled, "{}"), host: headers.host };
    expect(expectedSignature(given, authorization, date, "test")).toBe(authorization.signature);
  });

  it("sign as empty when absent, even one named like an Object member (constructor), never failing the server", async () => {
    const headers = await signedHeaders("ListDocuments", "{}");
    const authorization = { ...parseAuthorization(headers), signedHeaders: ["constructor", "host", "x-amz-date"] };
    const date = headers["x-amz-date"] as string;
    const event = { httpMethod: "POST", path: "/", queryStringParameters: null, headers, body: "{}" };
    const received = signedRequest(event as unknown as APIGatewayProxyEvent, Buffer.from("{}"), "host");
    const withEmpty = expectedSignature(received, authorization, date, "test");
    expect(withEmpty).toMatch(/^[0-9a-f]{64}$/);
    expect(expectedSignature(request({ ...headers, constructor: "" }, "{}"), authorization, date, "test")).toBe(
      withEmpty,
    );
  });
});

describe("the Authorization header", () => {
  it("must be there", () => {
    expect(() => parseAuthorization({})).toThrow(MissingAuthenticationTokenException);
  });

  it("must be complete", () => {
    expect(() =>
      parseAuthorization({ Authorization: "AWS4-HMAC-SHA256 Credential=a/20261125/us-east-1/ssm/aws4_request" }),
    ).toThrow(IncompleteSignatureException);
    expect(() => parseAuthorization({ Authorization: "Basic dGVzdDp0ZXN0" })).toThrow(IncompleteSignatureException);
  });

  it("must be scoped to ssm, with host signed", () => {
    const header = (credential: string, signed = "host;x-amz-date") =>
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signed}, Signature=abc`;
    expect(() => parseAuthorization({ authorization: header("test/20261125/us-east-1/s3/aws4_request") })).toThrow(
      new InvalidSignatureException("Credential should be scoped to correct service: 'ssm'. "),
    );
    expect(() =>
      parseAuthorization({ authorization: header("test/20261125/us-east-1/ssm/aws4_request", "x-amz-date") }),
    ).toThrow(InvalidSignatureException);
  });

  it("uses the basic ISO-8601 date format", () => {
    expect(formatAmzDate(new Date("2026-11-25T13:14:15.678Z"))).toBe("20261125T131415Z");
  });
});
