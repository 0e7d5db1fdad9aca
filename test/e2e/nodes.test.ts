/** Managed nodes through the local endpoint, with the SDK v3 client and the aws CLI. */
import { generateKeyPairSync } from "node:crypto";
import {
  CreateActivationCommand,
  DeregisterManagedInstanceCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  InvalidInstanceId,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, postTo, sdkClient, useLocalEndpoint } from "../support/endpoint.ts";

const server = useLocalEndpoint();
let ssm: SSMClient;

beforeAll(() => {
  ssm = sdkClient(server.url);
});

afterAll(() => {
  ssm.destroy();
});

const post = (operation: string, request: unknown, signed: boolean) =>
  postTo(server, operation, JSON.stringify(request), { unsigned: !signed });

async function cli(...args: string[]) {
  const result = await awsCli(server.url, args, { output: "json" });
  if (result.code !== 0) throw new Error(`aws ssm ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout || "{}");
}

describe("managed nodes over HTTP", () => {
  it("registers, announces, lists, tags and deregisters nodes", async () => {
    const activation = await ssm.send(new CreateActivationCommand({ IamRole: "SSMServiceRole", RegistrationLimit: 1 }));
    const publicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({
      type: "spki",
      format: "der",
    });
    const registered = await post(
      "RegisterManagedInstance",
      {
        ActivationId: activation.ActivationId,
        ActivationCode: activation.ActivationCode,
        PublicKey: publicKey.toString("base64"),
        PublicKeyType: "Rsa",
        Fingerprint: "machine-1",
      },
      false,
    );
    expect(registered.status).toBe(200);
    const hybridId = registered.body.InstanceId as string;
    expect(
      (
        await post(
          "UpdateInstanceInformation",
          { InstanceId: "i-0abcdef1234567890", PlatformType: "Linux", AgentVersion: "3.3.0.0" },
          true,
        )
      ).status,
    ).toBe(200);

    const listed = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(listed.InstanceInformationList?.map((node) => node.InstanceId).sort()).toEqual(
      ["i-0abcdef1234567890", hybridId].sort(),
    );
    expect(
      listed.InstanceInformationList?.find((node) => node.InstanceId === hybridId)?.RegistrationDate,
    ).toBeInstanceOf(Date);
    const activations = await ssm.send(new DescribeActivationsCommand({}));
    expect(activations.ActivationList?.[0]?.RegistrationsCount).toBe(1);

    await cli(
      "add-tags-to-resource",
      "--resource-type",
      "ManagedInstance",
      "--resource-id",
      "i-0abcdef1234567890",
      "--tags",
      "Key=role,Value=web",
    );
    const byTag = await cli("describe-instance-information", "--filters", "Key=tag:role,Values=web");
    expect(byTag.InstanceInformationList.map((node: { InstanceId: string }) => node.InstanceId)).toEqual([
      "i-0abcdef1234567890",
    ]);
    const legacy = await cli(
      "describe-instance-information",
      "--instance-information-filter-list",
      "key=ResourceType,valueSet=ManagedInstance",
    );
    expect(legacy.InstanceInformationList.map((node: { InstanceId: string }) => node.InstanceId)).toEqual([hybridId]);

    await ssm.send(new DeregisterManagedInstanceCommand({ InstanceId: hybridId }));
    await expect(ssm.send(new DeregisterManagedInstanceCommand({ InstanceId: hybridId }))).rejects.toBeInstanceOf(
      InvalidInstanceId,
    );
    const after = await cli("describe-instance-information");
    expect(after.InstanceInformationList.map((node: { InstanceId: string }) => node.InstanceId)).toEqual([
      "i-0abcdef1234567890",
    ]);
  }, 60_000);
});
