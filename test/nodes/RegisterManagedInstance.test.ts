/** Every way registration and node authentication fail, each as AWS fails it, each writing nothing. */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/store/keys.ts";
import { FakeAgent } from "../support/agent.ts";
import { call, fails, invoke, invokeEvent } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

async function activation(limit = 1) {
  return call("CreateActivation", { IamRole: "SSMServiceRole", RegistrationLimit: limit });
}

async function registeredAgent(): Promise<FakeAgent> {
  const { ActivationId, ActivationCode } = await activation();
  const agent = new FakeAgent();
  expect((await agent.register(ActivationId, ActivationCode)).status).toBe(200);
  return agent;
}

async function unchanged(action: () => Promise<void>): Promise<void> {
  const before = await table.items();
  await action();
  expect(await table.items()).toEqual(before);
}

describe("RegisterManagedInstance, and the activations it uses (CreateActivation, DeleteActivation)", () => {
  it("refuses a wrong code, an unknown activation, and a key that is not RSA", async () => {
    const { ActivationId, ActivationCode } = await activation();
    await unchanged(async () => {
      // Its last character changed (to X, or to Y when it was X: the same code again passed once).
      const changed = ActivationCode.endsWith("X") ? "Y" : "X";
      const wrongCode = await new FakeAgent().register(ActivationId, `${ActivationCode.slice(0, -1)}${changed}`);
      expect(wrongCode).toMatchObject({ status: 400, body: { __type: "InvalidActivation" } });
      const unknown = await new FakeAgent().register("00000000-0000-4000-8000-000000000000", ActivationCode);
      expect(unknown.body.__type).toBe("InvalidActivation");
      const notRsa = await new FakeAgent().register(ActivationId, ActivationCode, {
        PublicKey: Buffer.from("nope").toString("base64"),
      });
      expect(notRsa.body.__type).toBe("InvalidPublicKey");
    });
  });

  it("refuses an expired activation", async () => {
    const { ActivationId, ActivationCode } = await activation();
    // Time passes: the activation's expiry is now behind us.
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.activation(ActivationId),
        UpdateExpression: "SET ExpirationDate = :past",
        ExpressionAttributeValues: { ":past": new Date(Date.now() - 1000).toISOString() },
      }),
    );
    await unchanged(async () => {
      const answer = await new FakeAgent().register(ActivationId, ActivationCode);
      expect(answer.body).toEqual({ __type: "ActivationExpired", message: `Activation ${ActivationId} has expired.` });
    });
    const listed = await call("DescribeActivations", {
      Filters: [{ FilterKey: "ActivationIds", FilterValues: [ActivationId] }],
    });
    expect(listed.ActivationList[0].Expired).toBe(true);
  });

  it("holds the registration limit under concurrent registrations", async () => {
    const { ActivationId, ActivationCode } = await activation(3);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => new FakeAgent().register(ActivationId, ActivationCode)),
    );
    const registered = answers.filter((answer) => answer.status === 200);
    expect(registered.length).toBeLessThanOrEqual(3);
    const nodes = (await table.items()).filter((item) => item.Type === "Node" && item.ActivationId === ActivationId);
    const listed = await call("DescribeActivations", {
      Filters: [{ FilterKey: "ActivationIds", FilterValues: [ActivationId] }],
    });
    expect(listed.ActivationList[0].RegistrationsCount).toBe(nodes.length);
    expect(nodes.length).toBe(registered.length);
    // Fill what the race left, then the next is refused and writes nothing.
    while ((await new FakeAgent().register(ActivationId, ActivationCode)).status === 200);
    await unchanged(async () => {
      const exhausted = await new FakeAgent().register(ActivationId, ActivationCode);
      expect(exhausted.body).toEqual({
        __type: "RegistrationLimitExceeded",
        message: `Activation ${ActivationId} has reached its registration limit of 3.`,
      });
    });
  });

  it("refuses a deleted activation, and deleting it twice", async () => {
    const { ActivationId, ActivationCode } = await activation();
    await call("DeleteActivation", { ActivationId });
    expect((await new FakeAgent().register(ActivationId, ActivationCode)).body.__type).toBe("InvalidActivation");
    expect((await fails("DeleteActivation", { ActivationId })).type).toBe("InvalidActivationId");
  });

  it("refuses an expiration date more than 30 days ahead or in the past", async () => {
    const in31Days = Date.now() / 1000 + 31 * 86400;
    expect((await fails("CreateActivation", { IamRole: "r", ExpirationDate: in31Days })).type).toBe(
      "InvalidParameters",
    );
    expect((await fails("CreateActivation", { IamRole: "r", ExpirationDate: Date.now() / 1000 - 60 })).type).toBe(
      "InvalidParameters",
    );
    expect((await fails("CreateActivation", { IamRole: "r", RegistrationLimit: 1001 })).type).toBe(
      "ValidationException",
    );
  });
});

describe("node authentication: RequestManagedInstanceRoleToken, and node credentials acting only for their node", () => {
  it("refuses a bad signature and a wrong fingerprint, issuing nothing", async () => {
    const agent = await registeredAgent();
    const impostor = new FakeAgent();
    impostor.instanceId = agent.instanceId;
    await unchanged(async () => {
      expect((await impostor.roleToken(agent.fingerprint)).body.__type).toBe("InvalidSignatureException");
      expect(await agent.roleToken("another-machine")).toMatchObject({
        status: 400,
        body: { __type: "MachineFingerprintDoesNotMatch", message: "Fingerprint does not match" },
      });
      const tampered = agent.signedEvent("RequestManagedInstanceRoleToken", { Fingerprint: agent.fingerprint });
      tampered.body = JSON.stringify({ Fingerprint: agent.fingerprint, Extra: 1 });
      expect((await invokeEvent("RequestManagedInstanceRoleToken", tampered)).body.__type).toBe(
        "InvalidSignatureException",
      );
      const old = agent.signedEvent(
        "RequestManagedInstanceRoleToken",
        { Fingerprint: agent.fingerprint },
        { date: new Date(Date.now() - 20 * 60_000) },
      );
      expect((await invokeEvent("RequestManagedInstanceRoleToken", old)).body.message).toMatch(/^Signature expired/);
    });
  });

  it("refuses a node speaking for another node", async () => {
    const [first, second] = [await registeredAgent(), await registeredAgent()];
    const token = (await first.roleToken()).body;
    const identity = {
      accessKeyId: token.AccessKeyId as string,
      secretAccessKey: token.SecretAccessKey as string,
      sessionToken: token.SessionToken as string,
    };
    await unchanged(async () => {
      const answer = await invoke(
        "UpdateInstanceInformation",
        { InstanceId: second.instanceId, AgentVersion: "3.3.1.0" },
        { identity },
      );
      expect(answer).toMatchObject({ status: 400, body: { __type: "AccessDeniedException" } });
      // Nor may it announce an EC2-style node into the account.
      const ec2 = await invoke("UpdateInstanceInformation", { InstanceId: "i-0aaaaaaaaaaaaaaaa" }, { identity });
      expect(ec2.body.__type).toBe("AccessDeniedException");
    });
  });

  it("keeps accounts apart: another account sees and touches none of this account's nodes", async () => {
    const agent = await registeredAgent();
    await table.accounts.createAccount("555555555555");
    const key = await table.accounts.createAccessKey("555555555555");
    const other = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const id = agent.instanceId as string;
    await unchanged(async () => {
      expect((await call("DescribeInstanceInformation", {}, { identity: other })).InstanceInformationList).toEqual([]);
      expect(
        (
          await fails(
            "DescribeInstanceInformation",
            { Filters: [{ Key: "InstanceIds", Values: [id] }] },
            { identity: other },
          )
        ).type,
      ).toBe("InvalidInstanceId");
      expect((await fails("DeregisterManagedInstance", { InstanceId: id }, { identity: other })).type).toBe(
        "InvalidInstanceId",
      );
      expect(
        (await fails("UpdateManagedInstanceRole", { InstanceId: id, IamRole: "x" }, { identity: other })).type,
      ).toBe("InvalidInstanceId");
      expect(
        (
          await fails(
            "AddTagsToResource",
            { ResourceType: "ManagedInstance", ResourceId: id, Tags: [{ Key: "a", Value: "b" }] },
            { identity: other },
          )
        ).type,
      ).toBe("InvalidResourceId");
      expect((await fails("UpdateInstanceInformation", { InstanceId: id }, { identity: other })).type).toBe(
        "InvalidInstanceId",
      );
      expect((await call("DescribeActivations", {}, { identity: other })).ActivationList).toEqual([]);
    });
  });
});

describe("DescribeInstanceInformation", () => {
  it("filters by ping status, platform and agent version, and pages", async () => {
    for (let i = 0; i < 7; i++) {
      const id = `i-0${String(i).padStart(16, "0")}`;
      await call("UpdateInstanceInformation", {
        InstanceId: id,
        PlatformType: i % 2 ? "Windows" : "Linux",
        AgentVersion: i < 3 ? "3.2.0.0" : "3.3.0.0",
      });
    }
    const windows = await call("DescribeInstanceInformation", {
      InstanceInformationFilterList: [{ key: "PlatformTypes", valueSet: ["Windows"] }],
    });
    expect(windows.InstanceInformationList.every((n: { PlatformType: string }) => n.PlatformType === "Windows")).toBe(
      true,
    );
    const old = await call("DescribeInstanceInformation", {
      Filters: [
        { Key: "AgentVersion", Values: ["3.2.0.0"] },
        { Key: "ResourceType", Values: ["EC2Instance"] },
      ],
    });
    expect(old.InstanceInformationList).toHaveLength(3);
    const online = await call("DescribeInstanceInformation", { Filters: [{ Key: "PingStatus", Values: ["Online"] }] });
    const all = await call("DescribeInstanceInformation", { MaxResults: 50 });
    const lost = all.InstanceInformationList.filter((n: { PingStatus: string }) => n.PingStatus === "ConnectionLost");
    expect(online.InstanceInformationList.length + lost.length).toBe(all.InstanceInformationList.length);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await call("DescribeInstanceInformation", { MaxResults: 5, NextToken: token });
      expect(page.InstanceInformationList.length).toBeLessThanOrEqual(5);
      seen.push(...page.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId));
      token = page.NextToken;
    } while (token);
    expect(new Set(seen).size).toBe(all.InstanceInformationList.length);
  });

  it("refuses unknown filter keys, invalid values, and both filter forms at once", async () => {
    expect(
      (
        await fails("DescribeInstanceInformation", {
          Filters: [{ Key: "PingStatus", Values: ["Online"] }],
          InstanceInformationFilterList: [{ key: "PingStatus", valueSet: ["Online"] }],
        })
      ).type,
    ).toBe("ValidationException");
    expect((await fails("DescribeInstanceInformation", { Filters: [{ Key: "Colour", Values: ["x"] }] })).type).toBe(
      "InvalidFilterKey",
    );
    expect(
      (await fails("DescribeInstanceInformation", { Filters: [{ Key: "PingStatus", Values: ["Sleepy"] }] })).type,
    ).toBe("InvalidInstanceInformationFilterValue");
    expect((await fails("DescribeInstanceInformation", { MaxResults: 4 })).type).toBe("ValidationException");
  });
});
