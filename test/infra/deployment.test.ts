/**
 * The deployment, checked offline: the template is what the generator makes of the code, it
 * has exactly one function and one route per operation, least-privilege policies, a clean
 * cfn-lint before and after the SAM transform, an edge router that routes as designed, and an
 * event per operation that the handlers answer.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ESBUILD_TARGET } from "../../infra/build/node-runtime.ts";
import { edgeRouterSource } from "../../infra/deploy/edge-router.ts";
import { sampleEvent } from "../../infra/deploy/events.ts";
import { METRICS_NAMESPACE } from "../../infra/deploy/monitoring.ts";
import {
  buildTemplate,
  functionLogicalId,
  isReadOnly,
  SCHEDULER,
  SETTLING_READS,
} from "../../infra/deploy/template.ts";
import { operationNames } from "../../infra/local/operations.ts";
import { signingServiceOf, targetOf } from "../../shared/protocol/targets.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";
import { invokeEvent, proxyEvent } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const templateText = readFileSync(new URL("../../template.yaml", import.meta.url), "utf8");
const intrinsic = (name: string) => [
  { tag: `!${name}`, resolve: (value: unknown) => ({ [name]: value }) },
  { tag: `!${name}`, collection: "seq" as const, resolve: (value: unknown) => ({ [name]: value }) },
];
const template = parse(templateText, {
  customTags: [...intrinsic("Ref"), ...intrinsic("GetAtt"), ...intrinsic("Sub")] as never,
});
// biome-ignore lint/suspicious/noExplicitAny: the template is read as plain data
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const operations = operationNames();

describe("template.yaml", () => {
  it("is what the generator makes of the code (npm run template)", () => {
    expect(templateText).toBe(buildTemplate());
  });

  it("deploys every function on Node.js 24 (nodejs24.x, arm64), the Node.js the bundles are built for and CI runs", () => {
    expect(template.Globals.Function.Runtime).toBe("nodejs24.x");
    expect(template.Globals.Function.Architectures).toEqual(["arm64"]);
    expect(ESBUILD_TARGET).toBe("node24");
    expect(readFileSync(new URL("../../.ci/node.sh", import.meta.url), "utf8")).toMatch(/^NODE_LTS_VERSION=24\./m);
    // The oldest Node.js the product supports, which CI runs npm start's test on too.
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.engines.node).toBe(">=22");
    expect(readFileSync(new URL("../../.ci/node.sh", import.meta.url), "utf8")).toMatch(/^NODE_PREVIOUS_VERSION=22\./m);
  });

  it("has exactly one function and one POST /<Operation> route per operation the local server serves, and no other", () => {
    const functions = Object.entries(resources).filter(
      ([id, r]) => r.Type === "AWS::Serverless::Function" && id !== SCHEDULER.logicalId,
    );
    expect(functions.map(([id]) => id).sort()).toEqual(operations.map(functionLogicalId).sort());
    const routes = functions.flatMap(([, r]) =>
      Object.values(
        r.Properties.Events as Record<string, { Type: string; Properties: { Path: string; Method: string } }>,
      ).map((event) => `${event.Properties.Method.toUpperCase()} ${event.Properties.Path}`),
    );
    expect(routes.sort()).toEqual(operations.map((op) => `POST /${op}`).sort());
    // Each function deploys `npm run build`'s bundle of its own operation (infra/build/bundle.ts
    // writes dist/<Operation>/index.mjs from functions/<Operation>.ts).
    for (const op of operations) {
      const fn = resources[functionLogicalId(op)];
      expect(fn?.Properties.CodeUri).toBe(`dist/${op}`);
      expect(fn?.Properties.Handler).toBe("index.handler");
      expect((fn as { Metadata?: unknown }).Metadata, "sam build would bundle without the build's plugins").toBe(
        undefined,
      );
    }
  });

  it("gives read operations read actions only, on the table and its indexes", () => {
    for (const op of operations) {
      const statements = resources[functionLogicalId(op)]?.Properties.Policies[0].Statement as {
        Action: string[];
        Resource: unknown;
      }[];
      const dynamo = statements.find((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
      expect(dynamo?.Action.every((a) => a.startsWith("dynamodb:"))).toBe(true);
      const writes = dynamo?.Action.filter((a) => /Put|Update|Delete|Write|ConditionCheck/.test(a)) ?? [];
      if (isReadOnly(op)) expect(writes, op).toEqual([]);
      // A read that settles quiet runs writes a target, its shard and its run (in a transaction) only.
      else if (SETTLING_READS.has(op)) expect(writes.sort(), op).toEqual(["dynamodb:PutItem", "dynamodb:UpdateItem"]);
      else expect(writes.length, op).toBeGreaterThan(0);
      expect(JSON.stringify(dynamo?.Resource)).toContain("Table.Arn");
      expect(JSON.stringify(statements)).not.toContain('"*"');
    }
  });

  it("runs the scheduler every minute from EventBridge, with least privilege and no route", () => {
    const scheduler = resources[SCHEDULER.logicalId];
    expect(scheduler?.Type).toBe("AWS::Serverless::Function");
    expect(scheduler?.Properties.CodeUri).toBe(`dist/${SCHEDULER.name}`);
    expect(scheduler?.Properties.Handler).toBe("index.handler");
    expect(scheduler?.Properties.Events).toEqual({
      Tick: {
        Type: "Schedule",
        Properties: { Schedule: "rate(1 minute)", Description: "State Manager scheduler tick" },
      },
    });
    const statements = scheduler?.Properties.Policies[0].Statement as { Action: string[]; Resource: unknown }[];
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.every((a) => a.startsWith("dynamodb:"))).toBe(true);
    expect(actions).not.toContain("dynamodb:Scan");
    expect(JSON.stringify(statements)).toContain("index/GSI2");
    expect(JSON.stringify(statements)).not.toContain('"*"');
    expect(JSON.stringify(statements)).not.toContain("CredentialsKeySecret");
  });

  it("keeps the table safe and its TTL on, and the logs for a bounded time", () => {
    expect(resources.Table?.Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: "ExpiresAt", Enabled: true },
    });
    const logs = Object.values(resources).filter((r) => r.Type === "AWS::Logs::LogGroup");
    expect(logs).toHaveLength(operations.length + 1);
    expect(template.Outputs.Endpoint).toBeDefined();
    expect(template.Outputs.TableName).toBeDefined();
  });

  it("has a dashboard of the metrics the request lines carry, and an alarm on server errors (5xx), in the functions' namespace", async () => {
    const namespace = template.Globals.Function.Environment.Variables.METRICS_NAMESPACE;
    expect(namespace).toEqual({ Sub: METRICS_NAMESPACE });
    expect(METRICS_NAMESPACE).toMatch(/^OpenStateManager\/\$\{AWS::StackName\}$/);
    expect(template.Globals.Function.Environment.Variables.LOG_LEVEL).toEqual({ Ref: "LogLevel" });
    const alarm = resources.ServerErrorsAlarm?.Properties;
    expect(alarm).toMatchObject({
      Namespace: { "Fn::Sub": namespace.Sub },
      MetricName: "ServerErrors",
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(alarm?.Dimensions).toBeUndefined();
    // Every metric the dashboard shows is one a request line carries (shared/lib/request-log.ts).
    const { requestLine } = await import("../../shared/lib/request-log.ts");
    const line = JSON.parse(
      requestLine(
        {
          time: new Date(),
          requestId: "r",
          operation: "GetMessages",
          status: 500,
          errorCode: "InternalServerError",
          latencyMs: 1,
          tally: {
            dynamodbCalls: 0,
            consumedCapacity: 0,
            writeCapacity: 0,
            events: { NodeHeartbeats: 1, RunsStarted: 1, MessagesDelivered: 0 },
          },
        },
        "ns",
      ),
    );
    const emitted = new Set<string>(
      line._aws.CloudWatchMetrics.flatMap((d: { Metrics: { Name: string }[] }) => d.Metrics.map((m) => m.Name)),
    );
    const body = resources.Dashboard?.Properties.DashboardBody["Fn::Sub"] as string;
    const shown = new Set([
      ...[...body.matchAll(/"\$\{AWS::StackName\}","(\w+)"|OpenStateManager\/\$\{AWS::StackName\}","(\w+)"/g)].map(
        (m) => m[1] ?? m[2],
      ),
      ...[...body.matchAll(/MetricName=\\"(\w+)\\"/g)].map((m) => m[1]),
    ]);
    expect([...shown].sort()).toEqual([
      "ClientErrors",
      "Errors",
      "Latency",
      "MessagesDelivered",
      "NodeHeartbeats",
      "Requests",
      "RunsStarted",
      "ServerErrors",
    ]);
    for (const name of shown) expect(emitted, name).toContain(name);
    expect(alarm?.AlarmActions).toEqual({
      "Fn::If": ["HasAlarmAction", [{ Ref: "AlarmActionArn" }], { Ref: "AWS::NoValue" }],
    });
  });

  it("is clean under cfn-lint, and so is its offline SAM transform", () => {
    execFileSync("cfn-lint", ["template.yaml"], { stdio: "pipe" });
    const transformed = execFileSync("python3", ["infra/deploy/sam-transform.py", "template.yaml"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const resourcesAfter = Object.keys(JSON.parse(transformed).Resources);
    expect(resourcesAfter.length).toBeLessThan(500);
    const file = `${process.env.TMPDIR ?? "/tmp"}/osm-transformed-${process.pid}.json`;
    writeFileSync(file, transformed);
    execFileSync("cfn-lint", [file], { stdio: "pipe" });
  }, 120_000);
});

describe("the edge router", () => {
  type Edge = { request: { method: string; uri: string; headers: Record<string, { value: string }> } };
  // biome-ignore lint/suspicious/noExplicitAny: the router answers with a request or a response
  const route = runInNewContext(`${edgeRouterSource(operations)}; handler`) as (event: Edge) => Record<string, any>;
  const event = (target: string | undefined, method = "POST"): Edge => ({
    request: {
      method,
      uri: "/",
      headers: { host: { value: "ssm.example.com" }, ...(target ? { "x-amz-target": { value: target } } : {}) },
    },
  });

  it("routes a known target to POST /<Operation> with the signed host and path", () => {
    const routed = route(event("AmazonSSM.CreateAssociation"));
    expect(routed.uri).toBe("/CreateAssociation");
    expect(routed.headers["x-ssm-viewer-host"]).toEqual({ value: "ssm.example.com" });
    expect(routed.headers["x-ssm-viewer-path"]).toEqual({ value: "/" });
  });

  it("routes the agent's ec2messages targets (EC2WindowsMessageDeliveryService.<Op>) the same way", () => {
    const routed = route(event("EC2WindowsMessageDeliveryService.GetMessages"));
    expect(routed.uri).toBe("/GetMessages");
    expect(routed.headers["x-ssm-viewer-host"]).toEqual({ value: "ssm.example.com" });
  });

  it("answers unknown, foreign or missing targets, and other methods, with UnknownOperationException", () => {
    for (const answer of [
      route(event("AmazonSSM.SendAutomationSignal")),
      route(event("DynamoDB_20120810.ListTables")),
      route(event(undefined)),
      route(event("AmazonSSM.CreateAssociation", "GET")),
      route(event("AmazonSSM.GetMessages")),
      route(event("EC2WindowsMessageDeliveryService.ListDocuments")),
    ]) {
      expect(answer.statusCode).toBe(400);
      expect(JSON.parse(answer.body.data).__type).toBe("UnknownOperationException");
    }
  });
});

describe("events/", () => {
  beforeAll(async () => {
    await freshTable();
  });

  it("holds one event per operation, as the generator makes it", () => {
    for (const op of operations) {
      const file = JSON.parse(readFileSync(new URL(`../../events/${op}.json`, import.meta.url), "utf8"));
      expect(file).toEqual(sampleEvent(op));
    }
  });

  it("are answered by the handlers in AWS's shape once signed afresh", async () => {
    for (const op of operations) {
      const event = sampleEvent(op) as { body: string };
      const headers = await signedHeaders(op, event.body, DEFAULT_IDENTITY, {
        service: signingServiceOf(op),
        extraHeaders: { "x-amz-target": targetOf(op) },
      });
      const answer = await invokeEvent(op, { ...proxyEvent(op, event.body, headers), path: `/${op}` });
      expect(answer.status, `${op}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
      if (answer.status !== 200) expect(answer.body.__type, op).toEqual(expect.any(String));
      expect(answer.body.__type, op).not.toBe("ValidationException");
      expect(answer.body.__type, op).not.toBe("SerializationException");
    }
  });
});
