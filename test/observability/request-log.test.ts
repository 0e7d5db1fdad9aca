/**
 * One JSON line per request on stdout (shared/lib/request-log.ts), through the real handlers:
 * who called (account, ARN, access key, source IP, user agent), what, the outcome, the latency and
 * what it asked of DynamoDB; and, with a metrics namespace (deployed), CloudWatch's embedded metric
 * format in the same line, checked against the format's rules: every dimension and metric a
 * directive names is a member of the line, metric values are numbers, dimension values strings.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler as scheduler } from "../../functions/scheduled/Scheduler.ts";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { signedHeaders } from "../support/identity.ts";
import { call, invoke, invokeEvent, proxyEvent } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

const NAMESPACE = "OpenStateManager/test";
let written: string[] = [];

beforeAll(async () => {
  await freshTable({ logLevel: "info", metricsNamespace: NAMESPACE });
});

beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

// biome-ignore lint/suspicious/noExplicitAny: the lines are read as plain data
function lines(): any[] {
  return written
    .flatMap((chunk) => chunk.split("\n").filter((line) => line.startsWith("{")))
    .map((line) => JSON.parse(line));
}

// biome-ignore lint/suspicious/noExplicitAny: the line is read as plain data
function expectValidEmf(line: any): void {
  const { _aws: aws } = line;
  expect(typeof aws.Timestamp).toBe("number");
  for (const directive of aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe(NAMESPACE);
    for (const set of directive.Dimensions) for (const name of set) expect(typeof line[name]).toBe("string");
    for (const metric of directive.Metrics) expect(typeof line[metric.Name], metric.Name).toBe("number");
  }
}

describe("the request log line", () => {
  it("names an account key's caller as the account's root, with the request's outcome, latency and DynamoDB calls", async () => {
    await invoke("CreateDocument", { Name: "logged", Content: commandContent("1") });
    const [line] = lines();
    expect(line).toMatchObject({
      level: "info",
      operation: "CreateDocument",
      account: "000000000000",
      region: "us-east-1",
      principal: "arn:aws:iam::000000000000:root",
      accessKeyId: "test",
      sourceIp: "127.0.0.1",
      status: 200,
      dynamodbCalls: expect.any(Number),
    });
    expect(line.errorCode).toBeUndefined();
    expect(line.latencyMs).toBeGreaterThan(0);
    // The access key's read (a cold cache) and the create's transaction at least.
    expect(line.dynamodbCalls).toBeGreaterThanOrEqual(2);
    expect(line.consumedCapacity).toBeGreaterThan(0);
    expect(lines()).toHaveLength(1);
  });

  it("gives a refusal's status and error code, and counts it under Errors by code in the metrics", async () => {
    await invoke("DescribeDocument", { Name: "missing-document" });
    const [line] = lines();
    expect(line).toMatchObject({ operation: "DescribeDocument", status: 400, errorCode: "InvalidDocument" });
    expectValidEmf(line);
    expect(line).toMatchObject({
      Operation: "DescribeDocument",
      Requests: 1,
      ClientErrors: 1,
      ServerErrors: 0,
      ErrorCode: "InvalidDocument",
      Errors: 1,
    });
    const directives = line._aws.CloudWatchMetrics;
    expect(directives[0].Dimensions).toEqual([["Operation"], []]);
    expect(directives[1]).toMatchObject({
      Dimensions: [["Operation", "ErrorCode"], ["ErrorCode"]],
      Metrics: [{ Name: "Errors", Unit: "Count" }],
    });
  });

  it("names no account for a request that nothing authenticated, and still logs it", async () => {
    const body = JSON.stringify({ Name: "x" });
    const headers = await signedHeaders("DescribeDocument", body, {
      accessKeyId: "AKIANOSUCHKEY0000000",
      secretAccessKey: "nope",
    });
    await invokeEvent("DescribeDocument", proxyEvent("DescribeDocument", body, headers));
    const [line] = lines();
    expect(line).toMatchObject({
      operation: "DescribeDocument",
      status: 400,
      errorCode: "UnrecognizedClientException",
    });
    expect(line.account).toBeUndefined();
    expect(line.principal).toBeUndefined();
  });

  it("names a node's credentials by its role's session, the node signing with its key by its own ARN, and counts heartbeats and runs", async () => {
    const node = await ManagedNode.register([{ Key: "fleet", Value: "logged" }]);
    const registered = lines();
    const heartbeat = registered.find((line) => line.operation === "UpdateInstanceInformation");
    expect(heartbeat).toMatchObject({
      account: "000000000000",
      principal: `arn:aws:sts::000000000000:assumed-role/SSMServiceRole/${node.id}`,
      events: { NodeHeartbeats: 1 },
      NodeHeartbeats: 1,
    });
    expectValidEmf(heartbeat);
    const token = registered.find((line) => line.operation === "RequestManagedInstanceRoleToken");
    expect(token?.principal).toBe(`arn:aws:ssm:us-east-1:000000000000:managed-instance/${node.id}`);

    written = [];
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fleet", Values: ["logged"] }],
      Parameters: { commands: ["echo"] },
    });
    const [created] = lines();
    expect(created).toMatchObject({ operation: "CreateAssociation", events: { RunsStarted: 1 }, RunsStarted: 1 });
    expectValidEmf(created);
  });

  it("names a node's sessions by the role UpdateManagedInstanceRole gave it, from their issue on", async () => {
    const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
    const agent = new FakeAgent();
    await agent.register(ActivationId, ActivationCode);
    await call("UpdateManagedInstanceRole", { InstanceId: agent.instanceId, IamRole: "service-role/Renamed" });
    const token = (await agent.roleToken()).body;
    const identity = {
      accessKeyId: token.AccessKeyId as string,
      secretAccessKey: token.SecretAccessKey as string,
      sessionToken: token.SessionToken as string,
    };
    written = [];
    const body = JSON.stringify({ Destination: agent.instanceId, MessagesRequestId: randomUUID() });
    const headers = await signedHeaders("GetMessages", body, identity, {
      service: "ec2messages",
      extraHeaders: { "x-amz-target": "EC2WindowsMessageDeliveryService.GetMessages" },
    });
    await invokeEvent("GetMessages", proxyEvent("GetMessages", body, headers));
    const [poll] = lines();
    // An assumed-role ARN names the role without its path.
    expect(poll).toMatchObject({
      operation: "GetMessages",
      status: 200,
      principal: `arn:aws:sts::000000000000:assumed-role/Renamed/${agent.instanceId}`,
      // The channel delivers no message (docs/runs.md, the message channel): counted as 0, not left out.
      events: { MessagesDelivered: 0 },
    });
  });

  it("writes the scheduler's tick as a line of its own, under its name", async () => {
    await scheduler();
    const [line] = lines();
    expect(line).toMatchObject({ operation: "Scheduler", status: 200, Operation: "Scheduler", Requests: 1 });
    expect(line.account).toBeUndefined();
    expectValidEmf(line);
  });
});
