/**
 * The console deployed, checked offline: the distribution serves the console's private bucket at
 * /console*, only through its origin access control, and the edge answers CORS for the
 * distribution's own origin only.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { consoleRouterSource, edgeCorsSource, edgeRouterSource } from "../../infra/deploy/edge-router.ts";
import { operationNames } from "../../infra/local/operations.ts";
import { targetOf } from "../../shared/protocol/targets.ts";

const intrinsic = (name: string) => [
  { tag: `!${name}`, resolve: (value: unknown) => ({ [name]: value }) },
  { tag: `!${name}`, collection: "seq" as const, resolve: (value: unknown) => ({ [name]: value }) },
];
const template = parse(readFileSync(new URL("../../template.yaml", import.meta.url), "utf8"), {
  customTags: [...intrinsic("Ref"), ...intrinsic("GetAtt"), ...intrinsic("Sub")] as never,
});
// biome-ignore lint/suspicious/noExplicitAny: the template is read as plain data
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

type Headers = Record<string, { value: string }>;
type Edge = { request: { method: string; uri: string; headers: Headers }; response?: { headers: Headers } };
// biome-ignore lint/suspicious/noExplicitAny: the functions answer with a request or a response
const load = (source: string) => runInNewContext(`${source}; handler`) as (event: Edge) => Record<string, any>;
const router = load(edgeRouterSource(operationNames()));
const cors = load(edgeCorsSource());
const consoleRouter = load(consoleRouterSource());

const HOST = "d111111abcdef8.cloudfront.net";
const request = (method: string, headers: Record<string, string>, uri = "/"): Edge => ({
  request: {
    method,
    uri,
    headers: Object.fromEntries(Object.entries({ host: HOST, ...headers }).map(([k, v]) => [k, { value: v }])),
  },
});

describe("the deployed console", () => {
  it("is a private bucket read only by this distribution, served at /console*", () => {
    const bucket = resources.ConsoleBucket?.Properties;
    expect(bucket?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const statement = resources.ConsoleBucketPolicy?.Properties.PolicyDocument.Statement;
    expect(statement).toHaveLength(1);
    expect(statement[0]).toMatchObject({
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Condition: {
        StringEquals: { "AWS:SourceArn": { Sub: expect.stringContaining("distribution/$" + "{Distribution}") } },
      },
    });
    const config = resources.Distribution?.Properties.DistributionConfig;
    const origin = config.Origins.find((o: { Id: string }) => o.Id === "console");
    expect(origin.OriginAccessControlId).toEqual({ GetAtt: "ConsoleOriginAccessControl.Id" });
    expect(config.CacheBehaviors).toEqual([
      expect.objectContaining({ PathPattern: "/console*", TargetOriginId: "console", AllowedMethods: ["GET", "HEAD"] }),
    ]);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toContainEqual({
      EventType: "viewer-response",
      FunctionARN: { GetAtt: "EdgeCors.FunctionMetadata.FunctionARN" },
    });
    expect(template.Outputs.ConsoleUrl.Value).toEqual({ Sub: `https://\${Distribution.DomainName}/console/` });
  });

  it("routes console folders to their index.html", () => {
    expect(consoleRouter(request("GET", {}, "/console"))).toMatchObject({
      statusCode: 301,
      headers: { location: { value: "/console/" } },
    });
    expect(consoleRouter(request("GET", {}, "/console/")).uri).toBe("/console/index.html");
    expect(consoleRouter(request("GET", {}, "/console/app-ABC.js")).uri).toBe("/console/app-ABC.js");
  });
});

describe("CORS at the edge", () => {
  const own = `https://${HOST}`;
  const ask = { "access-control-request-method": "POST", "access-control-request-headers": "x-amz-target" };

  it("answers a preflight from the distribution's own origin, and refuses any other", () => {
    const allowed = router(request("OPTIONS", { origin: own, ...ask }));
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toEqual({ value: own });
    expect(allowed.headers["access-control-allow-methods"]).toEqual({ value: "POST" });
    expect(allowed.headers["access-control-allow-headers"].value).toContain("x-amz-security-token");
    for (const origin of ["https://evil.example", `http://${HOST}`, "null"]) {
      const refused = router(request("OPTIONS", { origin, ...ask }));
      expect(refused.statusCode).toBe(403);
      expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });

  it("allows the own origin to read answers, including the edge's UnknownOperationException", () => {
    const unknown = router(request("POST", { origin: own, "x-amz-target": "AmazonSSM.StartAssociationsOnceX" }));
    expect(JSON.parse(unknown.body.data).__type).toBe("UnknownOperationException");
    expect(unknown.headers["access-control-allow-origin"]).toEqual({ value: own });
    const foreign = router(request("POST", { origin: "https://evil.example", "x-amz-target": "AmazonSSM.X" }));
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();

    const answered = (origin: string) =>
      cors({ ...request("POST", { origin }), response: { headers: {} } }).headers as Record<string, unknown>;
    expect(answered(own)["access-control-allow-origin"]).toEqual({ value: own });
    expect(answered(own)["access-control-expose-headers"]).toEqual({
      value: expect.stringContaining("x-amzn-RequestId"),
    });
    expect(answered("https://evil.example")["access-control-allow-origin"]).toBeUndefined();
  });

  it("still routes a known target", () => {
    const routed = router(request("POST", { origin: own, "x-amz-target": "AmazonSSM.ListAssociations" }));
    expect(routed.uri).toBe("/ListAssociations");
  });

  it("routes ListComplianceSummaries and every other served operation in the deployed template's router", () => {
    // The router as template.yaml deploys it (npm run template), not as the source would build it now.
    const deployed = load(resources.EdgeRouter?.Properties.FunctionCode);
    expect(operationNames()).toContain("ListComplianceSummaries");
    for (const operation of operationNames()) {
      expect(deployed(request("POST", { origin: own, "x-amz-target": targetOf(operation) })).uri).toBe(`/${operation}`);
    }
  });
});
