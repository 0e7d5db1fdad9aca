/**
 * The SSM Agent's life, played end to end with Node's crypto: activation, registration with a
 * fresh RSA key pair, a role token by an RSA-PSS-signed request, heartbeats with the issued
 * credentials, DescribeInstanceInformation, tags, deregistration, and refusal afterwards.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import { call, fails, invoke, invokeEvent } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
});

const heartbeat = (instanceId: string) => ({
  InstanceId: instanceId,
  AgentName: "amazon-ssm-agent",
  AgentStatus: "Active",
  AgentVersion: "3.3.1142.0",
  PlatformType: "Linux",
  PlatformName: "Ubuntu",
  PlatformVersion: "22.04",
  IPAddress: "10.0.0.12",
  ComputerName: "build-01.example",
});

describe("a hybrid node, from activation to deregistration: CreateActivation, RegisterManagedInstance, RequestManagedInstanceRoleToken, UpdateInstanceInformation, UpdateManagedInstancePublicKey, DeregisterManagedInstance", () => {
  it("lives the whole agent life", async () => {
    const created = await call("CreateActivation", {
      IamRole: "SSMServiceRole",
      DefaultInstanceName: "build",
      RegistrationLimit: 2,
      Tags: [{ Key: "env", Value: "ci" }],
    });
    expect(created.ActivationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.ActivationCode).toMatch(/^[A-Za-z0-9]{20}$/);

    const agent = new FakeAgent();
    const registered = await agent.register(created.ActivationId, created.ActivationCode);
    expect(registered.status).toBe(200);
    expect(agent.instanceId).toMatch(/^mi-[0-9a-f]{17}$/);

    const token = await agent.roleToken();
    expect(token.status).toBe(200);
    expect(Object.keys(token.body).sort()).toEqual(
      ["AccessKeyId", "SecretAccessKey", "SessionToken", "TokenExpirationDate", "UpdateKeyPair"].sort(),
    );
    expect(token.body.UpdateKeyPair).toBe(false);
    expect(token.body.TokenExpirationDate).toBeGreaterThan(Date.now() / 1000);
    const nodeIdentity = {
      accessKeyId: token.body.AccessKeyId as string,
      secretAccessKey: token.body.SecretAccessKey as string,
      sessionToken: token.body.SessionToken as string,
    };

    const id = agent.instanceId as string;
    expect((await invoke("UpdateInstanceInformation", heartbeat(id), { identity: nodeIdentity })).status).toBe(200);

    const { InstanceInformationList } = await call("DescribeInstanceInformation", {
      Filters: [{ Key: "InstanceIds", Values: [id] }],
    });
    expect(InstanceInformationList).toEqual([
      expect.objectContaining({
        InstanceId: id,
        PingStatus: "Online",
        AgentVersion: "3.3.1142.0",
        PlatformType: "Linux",
        PlatformName: "Ubuntu",
        PlatformVersion: "22.04",
        ActivationId: created.ActivationId,
        IamRole: "SSMServiceRole",
        ResourceType: "ManagedInstance",
        Name: "build",
        IPAddress: "10.0.0.12",
        ComputerName: "build-01.example",
        SourceType: "AWS::SSM::ManagedInstance",
      }),
    ]);

    const activations = await call("DescribeActivations", {
      Filters: [{ FilterKey: "ActivationIds", FilterValues: [created.ActivationId] }],
    });
    expect(activations.ActivationList[0]).toMatchObject({
      RegistrationsCount: 1,
      RegistrationLimit: 2,
      Expired: false,
    });

    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: id,
      Tags: [{ Key: "team", Value: "infra" }],
    });
    expect((await call("ListTagsForResource", { ResourceType: "ManagedInstance", ResourceId: id })).TagList).toEqual([
      { Key: "env", Value: "ci" },
      { Key: "team", Value: "infra" },
    ]);
    const byTag = await call("DescribeInstanceInformation", { Filters: [{ Key: "tag:team", Values: ["infra"] }] });
    expect(byTag.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId)).toEqual([id]);
    const byTagKey = await call("DescribeInstanceInformation", { Filters: [{ Key: "tag-key", Values: ["team"] }] });
    expect(byTagKey.InstanceInformationList).toHaveLength(1);

    await call("DeregisterManagedInstance", { InstanceId: id });
    expect((await call("DescribeInstanceInformation", {})).InstanceInformationList).toEqual([]);
    expect((await agent.roleToken()).body).toEqual({
      __type: "InvalidInstanceId",
      message: `Not existing InstanceId ${id}`,
    });
    expect((await invoke("UpdateInstanceInformation", heartbeat(id), { identity: nodeIdentity })).body.__type).toBe(
      "InvalidInstanceId",
    );
    expect((await fails("DeregisterManagedInstance", { InstanceId: id })).type).toBe("InvalidInstanceId");
  });

  it("rotates its key pair with a request signed by the old key", async () => {
    const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
    const agent = new FakeAgent();
    await agent.register(ActivationId, ActivationCode);
    const next = agent.newKeyPair();
    const rotate = agent.signedEvent("UpdateManagedInstancePublicKey", {
      NewPublicKey: next.publicKey,
      NewPublicKeyType: "Rsa",
    });
    expect((await invokeEvent("UpdateManagedInstancePublicKey", rotate)).status).toBe(200);
    expect((await agent.roleToken()).body.__type).toBe("InvalidSignatureException");
    next.adopt();
    // The same key again is refused.
    const again = agent.signedEvent("UpdateManagedInstancePublicKey", {
      NewPublicKey: next.publicKey,
      NewPublicKeyType: "Rsa",
    });
    expect((await invokeEvent("UpdateManagedInstancePublicKey", again)).body.__type).toBe("PublicKeyAlreadyRegistered");
    expect((await agent.roleToken()).status).toBe(200);
  });
});

describe("UpdateInstanceInformation: account credentials announce an EC2-style node", () => {
  it("makes an i- node a managed node with one call", async () => {
    expect((await invoke("UpdateInstanceInformation", heartbeat("i-0123456789abcdef0"))).status).toBe(200);
    const { InstanceInformationList } = await call("DescribeInstanceInformation", {
      InstanceInformationFilterList: [{ key: "ResourceType", valueSet: ["EC2Instance"] }],
    });
    expect(InstanceInformationList).toEqual([
      expect.objectContaining({ InstanceId: "i-0123456789abcdef0", ResourceType: "EC2Instance", PingStatus: "Online" }),
    ]);
  });

  it("refuses an unregistered mi- id and ids of no known shape", async () => {
    expect((await fails("UpdateInstanceInformation", heartbeat("mi-0123456789abcdef0"))).type).toBe(
      "InvalidInstanceId",
    );
    expect((await fails("UpdateInstanceInformation", heartbeat("node-1"))).type).toBe("ValidationException");
  });
});
