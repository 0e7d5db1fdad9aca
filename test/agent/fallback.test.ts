/**
 * Issue 14, the agent's fallback path: when ListInstanceAssociations fails, the SSM Agent turns
 * to the legacy API (amazon-ssm-agent agent/association/service/service.go ListAssociations and
 * UpdateAssociationStatus, agent/ssm/service.go for the bodies): ListAssociations with the filter
 * InstanceId = its own id and MaxResults 1, DescribeAssociation by InstanceId and Name for the
 * first one's parameters and status, then UpdateAssociationStatus with an AssociationStatus whose
 * AdditionalInfo is its AgentInfo as JSON. Each call is replayed as the agent's Go SDK sends it
 * (fields in the SDK's struct order, its User-Agent), signed with node credentials, through the
 * local endpoint. With node credentials these see only the node's own associations
 * (shared/domain/associations/node-view.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type AgentCall, agentCall, registeredAgent } from "../support/agent-http.ts";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import type { Identity } from "../support/identity.ts";
import { call } from "../support/invoke.ts";
import { AGENT_SUMMARY } from "../support/managed-node.ts";

const server = useLocalEndpoint();

type Node = { instanceId: string; identity: Identity };
let a: Node;
let b: Node;
/** Association ids by what they are: each node's legacy one, and target-based ones. */
const ids: Record<"legacyA" | "legacyB" | "taggedA" | "onlyB" | "everyNode", string> = {
  legacyA: "",
  legacyB: "",
  taggedA: "",
  onlyB: "",
  everyNode: "",
};

/** The agent's AgentInfo (agent/appconfig/contracts.go), marshalled with its default values. */
const AGENT_INFO = JSON.stringify({
  Name: "amazon-ssm-agent",
  Version: "3.3.1142.0",
  Region: "us-east-1",
  OrchestrationRootDir: "orchestration",
  DownloadRootDir: "download",
  ContainerMode: false,
  SelfUpdate: false,
  SelfUpdateScheduleDay: 14,
  TelemetryMetricsToCloudWatch: false,
  TelemetryMetricsToSSM: true,
  TelemetryMetricsNamespace: "",
  LongRunningWorkerMonitorIntervalSeconds: 60,
  AuditExpirationDay: 7,
  ForceFileIPC: false,
});

/** The agent's three legacy calls, their bodies as aws-sdk-go serializes them. */
const listBody = (instanceId: string) =>
  JSON.stringify({ AssociationFilterList: [{ key: "InstanceId", value: instanceId }], MaxResults: 1 });
const describeBody = (instanceId: string, name: string) => JSON.stringify({ InstanceId: instanceId, Name: name });
const statusBody = (instanceId: string, name: string, status: string, message: string) =>
  JSON.stringify({
    AssociationStatus: {
      AdditionalInfo: AGENT_INFO,
      // time.Now().UTC(), as epoch seconds with milliseconds.
      Date: Math.floor(Date.now()) / 1000,
      Message: message,
      Name: status,
    },
    InstanceId: instanceId,
    Name: name,
  });

async function send(node: Node, operation: string, body: string, options: Partial<AgentCall> = {}) {
  const answer = await agentCall(server, {
    target: `AmazonSSM.${operation}`,
    body,
    identity: node.identity,
    ...options,
  });
  return { status: answer.status, body: JSON.parse(answer.body || "{}") };
}

/** Every association a node's credentials list, paged one by one as the agent's MaxResults 1 pages. */
async function listedBy(node: Node, filter?: { key: string; value: string }): Promise<string[]> {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const answer = await send(
      node,
      "ListAssociations",
      JSON.stringify({ ...(filter ? { AssociationFilterList: [filter] } : {}), MaxResults: 1, NextToken: token }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    seen.push(...answer.body.Associations.map((x: { AssociationId: string }) => x.AssociationId));
    token = answer.body.NextToken;
  } while (token);
  return seen.sort();
}

const create = async (request: Record<string, unknown>) =>
  (await call("CreateAssociation", { Name: "AWS-RunShellScript", ...request })).AssociationDescription
    .AssociationId as string;

beforeAll(async () => {
  a = await registeredAgent();
  b = await registeredAgent();
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: a.instanceId,
    Tags: [{ Key: "role", Value: "web" }],
  });
  ids.legacyA = await create({ InstanceId: a.instanceId, Parameters: { commands: ["echo a"] } });
  ids.legacyB = await create({ InstanceId: b.instanceId, Parameters: { commands: ["echo b"] } });
  ids.taggedA = await create({ Targets: [{ Key: "tag:role", Values: ["web"] }], Parameters: { commands: ["t"] } });
  ids.onlyB = await create({
    Targets: [{ Key: "InstanceIds", Values: [b.instanceId] }],
    Parameters: { commands: ["o"] },
  });
  ids.everyNode = await create({ Targets: [{ Key: "InstanceIds", Values: ["*"] }], Parameters: { commands: ["e"] } });
}, 60_000);

describe("the agent's fallback: ListAssociations with node credentials", () => {
  it("answers the agent's exact body with the node's own legacy association", async () => {
    const answer = await send(a, "ListAssociations", listBody(a.instanceId));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.Associations).toHaveLength(1);
    expect(answer.body.Associations[0]).toMatchObject({
      AssociationId: ids.legacyA,
      Name: "AWS-RunShellScript",
      InstanceId: a.instanceId,
    });
    // The same call chunked, as the agent sends some of its bodies: the same answer.
    const chunked = await send(a, "ListAssociations", listBody(a.instanceId), { chunked: true });
    expect(chunked).toEqual(answer);
  });

  it("lists only the associations whose targets apply to the node (its id, its tags, *), never another node's", async () => {
    expect(await listedBy(a)).toEqual([ids.legacyA, ids.taggedA, ids.everyNode].sort());
    expect(await listedBy(b)).toEqual([ids.legacyB, ids.onlyB, ids.everyNode].sort());
    // Filtering for another node finds nothing: its associations are not there for this node.
    expect(await listedBy(a, { key: "InstanceId", value: b.instanceId })).toEqual([]);
    expect(await listedBy(b, { key: "InstanceId", value: b.instanceId })).toEqual([ids.legacyB]);
    // Account credentials still see every association.
    const all = (await call("ListAssociations", {})).Associations.map(
      (x: { AssociationId: string }) => x.AssociationId,
    );
    expect(all.sort()).toEqual(Object.values(ids).sort());
  });
});

describe("the agent's fallback: DescribeAssociation with node credentials", () => {
  it("answers the agent's body (InstanceId, Name) with the parameters and status it reads", async () => {
    const answer = await send(a, "DescribeAssociation", describeBody(a.instanceId, "AWS-RunShellScript"));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.AssociationDescription).toMatchObject({
      AssociationId: ids.legacyA,
      InstanceId: a.instanceId,
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo a"] },
      Status: { Name: "Associated" },
    });
  });

  it("refuses to act for another node (AccessDeniedException), and an association not for the node does not exist", async () => {
    const other = await send(a, "DescribeAssociation", describeBody(b.instanceId, "AWS-RunShellScript"));
    expect(other.status).toBe(400);
    expect(other.body.__type).toBe("AccessDeniedException");
    for (const id of [ids.legacyB, ids.onlyB]) {
      const answer = await send(a, "DescribeAssociation", JSON.stringify({ AssociationId: id }));
      expect(answer.status, id).toBe(400);
      expect(answer.body).toMatchObject({
        __type: "AssociationDoesNotExist",
        message: `Association ${id} does not exist.`,
      });
    }
    for (const id of [ids.taggedA, ids.everyNode, ids.legacyA]) {
      const answer = await send(a, "DescribeAssociation", JSON.stringify({ AssociationId: id }));
      expect(answer.status, id).toBe(200);
      expect(answer.body.AssociationDescription.AssociationId).toBe(id);
    }
  });
});

describe("the agent's fallback: UpdateAssociationStatus with node credentials", () => {
  it("records the agent's run of its legacy association, which a user then sees with describe-association", async () => {
    const name = "AWS-RunShellScript";
    const pending = await send(
      a,
      "UpdateAssociationStatus",
      statusBody(a.instanceId, name, "Pending", "Association is pending"),
    );
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(pending.body.AssociationDescription.Status).toMatchObject({ Name: "Pending", AdditionalInfo: AGENT_INFO });
    // The agent reports InProgress too; the model's AssociationStatusName is Pending, Success or
    // Failed only, so it is refused as input validation refuses it (the agent logs it and goes on).
    const inProgress = await send(
      a,
      "UpdateAssociationStatus",
      statusBody(a.instanceId, name, "InProgress", "Executing association"),
    );
    expect(inProgress.status).toBe(400);
    expect(inProgress.body.__type).toBe("ValidationException");
    const success = await send(a, "UpdateAssociationStatus", statusBody(a.instanceId, name, "Success", AGENT_SUMMARY));
    expect(success.status, JSON.stringify(success.body)).toBe(200);

    const shown = await awsCli(server.url, ["describe-association", "--name", name, "--instance-id", a.instanceId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).AssociationDescription).toMatchObject({
      AssociationId: ids.legacyA,
      Status: { Name: "Success", Message: AGENT_SUMMARY, AdditionalInfo: AGENT_INFO },
    });
  });

  it("refuses another node's association with AccessDeniedException, changing nothing", async () => {
    const name = "AWS-RunShellScript";
    const answer = await send(a, "UpdateAssociationStatus", statusBody(b.instanceId, name, "Failed", "not mine"));
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("AccessDeniedException");
    const { AssociationDescription } = await call("DescribeAssociation", { AssociationId: ids.legacyB });
    expect(AssociationDescription.Status.Name).toBe("Associated");
  });
});
