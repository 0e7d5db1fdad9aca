/**
 * The ec2messages channel (issue 14): an agent pointed at this endpoint for `Mds` polls
 * `EC2WindowsMessageDeliveryService.GetMessages` signed for `ec2messages` with its node
 * credentials. Replayed as agent/runcommand/mds/service.go sends them (Go SDK v1 JSON 1.1: members
 * in alphabetical order, a fresh UUID per poll, VisibilityTimeoutInSeconds 10), through the local
 * endpoint, with a short hold. Run Command's messages on this channel: test/commands/run-command.test.ts.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { agentCall, registeredAgent } from "../support/agent-http.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { DEFAULT_IDENTITY, type Identity } from "../support/identity.ts";

// Tests hold polls for 50 ms only.
const server = useLocalEndpoint({ messagePollHoldMs: 50 });
let instanceId: string;
let node: Identity;
let messageId: string;

const mds = (operation: string, body: unknown, options: { service?: string; identity?: Identity } = {}) =>
  agentCall(server, {
    target: `EC2WindowsMessageDeliveryService.${operation}`,
    service: options.service ?? "ec2messages",
    body: JSON.stringify(body),
    identity: options.identity ?? node,
  });

beforeAll(async () => {
  ({ instanceId, identity: node } = await registeredAgent());
  messageId = `aws.ssm.${randomUUID()}.${instanceId}`;
});

describe("GetMessages", () => {
  it("answers the agent's poll as AWS does with nothing to deliver", async () => {
    const requestId = randomUUID();
    const answer = await mds("GetMessages", {
      Destination: instanceId,
      MessagesRequestId: requestId,
      VisibilityTimeoutInSeconds: 10,
    });
    expect(answer.status, answer.body).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(JSON.parse(answer.body)).toEqual({ Destination: instanceId, Messages: [], MessagesRequestId: requestId });
  });

  it("is for the node's own destination only", async () => {
    const answer = await mds("GetMessages", { Destination: "mi-0123456789abcdef0", MessagesRequestId: randomUUID() });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).__type).toBe("AccessDeniedException");
  });

  it("requires a signature scoped to ec2messages, and the model's constraints", async () => {
    const wrongScope = await mds(
      "GetMessages",
      { Destination: instanceId, MessagesRequestId: randomUUID() },
      { service: "ssm" },
    );
    expect(wrongScope.status).toBe(400);
    expect(JSON.parse(wrongScope.body)).toMatchObject({
      __type: "InvalidSignatureException",
      message: expect.stringContaining("'ec2messages'"),
    });
    const short = await mds("GetMessages", { Destination: instanceId, MessagesRequestId: "too-short" });
    expect(JSON.parse(short.body)).toMatchObject({ __type: "ValidationException" });
  });

  it("refuses account credentials: only a node polls for itself (IAM's wording, the account as caller)", async () => {
    const answer = await agentCall(server, {
      target: "EC2WindowsMessageDeliveryService.GetMessages",
      service: "ec2messages",
      body: JSON.stringify({ Destination: instanceId, MessagesRequestId: randomUUID() }),
      identity: DEFAULT_IDENTITY,
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: "AccessDeniedException",
      message: `User: arn:aws:iam::000000000000:root is not authorized to perform: ec2messages:GetMessages on resource: arn:aws:ssm:us-east-1:000000000000:managed-instance/${instanceId}`,
    });
  });

  it("holds an empty poll for the configured time", async () => {
    const started = Date.now();
    await mds("GetMessages", { Destination: instanceId, MessagesRequestId: randomUUID() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe("the agent's other message calls: AcknowledgeMessage, FailMessage, DeleteMessage, SendReply", () => {
  it("AcknowledgeMessage, FailMessage, DeleteMessage of a message this service never sent: an empty answer", async () => {
    for (const [operation, body] of [
      ["AcknowledgeMessage", { MessageId: messageId }],
      ["FailMessage", { FailureType: "InternalHandlerException", MessageId: messageId }],
      ["DeleteMessage", { MessageId: messageId }],
    ] as const) {
      const answer = await mds(operation, body);
      expect(answer.status, `${operation}: ${answer.body}`).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({});
    }
  });

  it("SendReply for a message this service never sent: accepted, no action taken", async () => {
    const replyId = randomUUID();
    const payload = JSON.stringify({
      additionalInfo: {
        agent: { lang: "en-US", name: "amazon-ssm-agent", os: "", osver: "1", ver: "" },
        dateTime: "2026-11-25T12:00:00.000Z",
        runId: "",
        runtimeStatusCounts: null,
      },
      documentStatus: "InProgress",
      documentTraceOutput: "",
      runtimeStatus: null,
    });
    const answer = await mds("SendReply", { MessageId: messageId, Payload: payload, ReplyId: replyId });
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ MessageId: messageId, ReplyId: replyId, ReplyStatus: "NoActionTaken" });
  });

  it("a message id naming another node is refused in IAM's wording", async () => {
    const other = `aws.ssm.${randomUUID()}.mi-0123456789abcdef0`;
    for (const operation of ["AcknowledgeMessage", "DeleteMessage"]) {
      const answer = await mds(operation, { MessageId: other });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).message).toMatch(
        new RegExp(
          `is not authorized to perform: ec2messages:${operation} on resource: .*managed-instance/mi-0123456789abcdef0`,
        ),
      );
    }
  });

  it("FailMessage refuses a failure type the model does not have", async () => {
    const answer = await mds("FailMessage", { FailureType: "Whatever", MessageId: messageId });
    expect(JSON.parse(answer.body).__type).toBe("ValidationException");
  });
});

describe("the two services stay apart", () => {
  it("an ec2messages operation under AmazonSSM, or an SSM operation under the message prefix, is unknown", async () => {
    const underSsm = await agentCall(server, {
      target: "AmazonSSM.GetMessages",
      body: JSON.stringify({ Destination: instanceId, MessagesRequestId: randomUUID() }),
      identity: node,
    });
    expect(JSON.parse(underSsm.body)).toMatchObject({ __type: "UnknownOperationException" });
    const underMds = await mds("ListDocuments", {});
    expect(JSON.parse(underMds.body)).toEqual({
      __type: "UnknownOperationException",
      message: "Operation ListDocuments is not supported by this service.",
    });
  });

  it("an SSM operation signed for ec2messages is refused", async () => {
    const answer = await agentCall(server, {
      target: "AmazonSSM.ListInstanceAssociations",
      service: "ec2messages",
      body: JSON.stringify({ InstanceId: instanceId }),
      identity: node,
    });
    expect(JSON.parse(answer.body).__type).toBe("InvalidSignatureException");
  });
});
