/**
 * Associations through the local endpoint with the aws CLI and the SDK v3 client, starting with
 * the sample requests of the AWS API reference pages (shared seeds), whose responses must have
 * the same shape as the samples there.
 */
import {
  AssociationAlreadyExists,
  AssociationDoesNotExist,
  CreateAssociationBatchCommand,
  CreateAssociationCommand,
  DescribeAssociationCommand,
  InvalidDocument,
  InvalidSchedule,
  ListAssociationsCommand,
  paginateListAssociations,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, postTo, sdkClient, useLocalEndpoint } from "../support/endpoint.ts";
import { SEED_LEGACY_DESCRIPTION_KEYS } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY } from "../support/identity.ts";

const server = useLocalEndpoint();
let ssm: SSMClient;

// biome-ignore lint/suspicious/noExplicitAny: reads the CLI's JSON freely
async function cli(...args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  const result = await awsCli(server.url, args, { region: "us-east-2", output: "json" });
  if (result.code !== 0) return { code: result.code, json: undefined, stderr: result.stderr };
  return { code: 0, json: result.stdout.trim() ? JSON.parse(result.stdout) : {}, stderr: result.stderr };
}

beforeAll(async () => {
  // The seed samples are signed for us-east-2.
  ssm = sdkClient(server.url, { region: "us-east-2" });
  for (const id of ["i-02573cafcfEXAMPLE", "i-0471e04240EXAMPLE", "i-07782c72faEXAMPLE", "i-1234567890abcdef0"]) {
    const body = JSON.stringify({ InstanceId: id, PlatformType: "Linux" });
    const answer = await postTo(server, "UpdateInstanceInformation", body, {
      identity: { ...DEFAULT_IDENTITY, region: "us-east-2" },
    });
    expect(answer.status).toBe(200);
  }
});

afterAll(() => {
  ssm.destroy();
});

describe("the seed samples", () => {
  it("CreateAssociation with the aws CLI: the sample request gets the sample response's shape", async () => {
    const { code, json } = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--instance-id",
      "i-02573cafcfEXAMPLE",
    );
    expect(code).toBe(0);
    expect(Object.keys(json.AssociationDescription).sort()).toEqual(SEED_LEGACY_DESCRIPTION_KEYS);
    expect(json.AssociationDescription).toMatchObject({
      ApplyOnlyAtCronInterval: false,
      AssociationVersion: "1",
      DocumentVersion: "$DEFAULT",
      InstanceId: "i-02573cafcfEXAMPLE",
      Name: "AWS-UpdateSSMAgent",
      Overview: { DetailedStatus: "Creating", Status: "Pending" },
      Status: { Message: "Associated with AWS-UpdateSSMAgent", Name: "Associated" },
      Targets: [{ Key: "InstanceIds", Values: ["i-02573cafcfEXAMPLE"] }],
    });
    expect(typeof json.AssociationDescription.Date).toBe("number");
  });

  it("CreateAssociationBatch with the SDK: the sample request gets the sample response's shape", async () => {
    const result = await ssm.send(
      new CreateAssociationBatchCommand({
        Entries: [
          { InstanceId: "i-0471e04240EXAMPLE", Name: "AWS-UpdateSSMAgent" },
          { InstanceId: "i-07782c72faEXAMPLE", Name: "AWS-UpdateSSMAgent" },
        ],
      }),
    );
    expect(result.Failed).toEqual([]);
    expect(result.Successful).toHaveLength(2);
    for (const [i, description] of (result.Successful ?? []).entries()) {
      expect(Object.keys(description).sort()).toEqual(SEED_LEGACY_DESCRIPTION_KEYS);
      expect(description.Date).toBeInstanceOf(Date);
      expect(description.InstanceId).toBe(["i-0471e04240EXAMPLE", "i-07782c72faEXAMPLE"][i]);
      expect(description.Status?.Name).toBe("Associated");
    }
  });
});

describe("the seed CLI example for update-association-status", () => {
  it("runs as printed and prints the seed output's shape", async () => {
    expect(
      (await cli("create-association", "--name", "AWS-UpdateSSMAgent", "--instance-id", "i-1234567890abcdef0")).code,
    ).toBe(0);
    const { code, json } = await cli(
      "update-association-status",
      "--name",
      "AWS-UpdateSSMAgent",
      "--instance-id",
      "i-1234567890abcdef0",
      "--association-status",
      "Date=1424421071.939,Name=Pending,Message=temp_status_change,AdditionalInfo=Additional-Config-Needed",
    );
    expect(code).toBe(0);
    const d = json.AssociationDescription;
    // Every member of the seed's output (those set by executions come with executions).
    for (const key of [
      "Name",
      "InstanceId",
      "AssociationVersion",
      "Date",
      "LastUpdateAssociationDate",
      "Status",
      "Overview",
      "DocumentVersion",
      "AssociationId",
      "Targets",
    ]) {
      expect(d, key).toHaveProperty(key);
    }
    expect(d.Status).toEqual({
      Date: 1424421071,
      Name: "Pending",
      Message: "temp_status_change",
      AdditionalInfo: "Additional-Config-Needed",
    });
    expect(d).toMatchObject({
      Name: "AWS-UpdateSSMAgent",
      InstanceId: "i-1234567890abcdef0",
      AssociationVersion: "1",
      DocumentVersion: "$DEFAULT",
    });
  }, 60_000);
});

describe("associations with the SDK", () => {
  it("surfaces every refusal as the SDK's typed exception", async () => {
    await expect(
      ssm.send(new CreateAssociationCommand({ Name: "AWS-UpdateSSMAgent", InstanceId: "i-02573cafcfEXAMPLE" })),
    ).rejects.toBeInstanceOf(AssociationAlreadyExists);
    await expect(
      ssm.send(new CreateAssociationCommand({ Name: "nope-doc", Targets: [{ Key: "tag:a", Values: ["b"] }] })),
    ).rejects.toBeInstanceOf(InvalidDocument);
    await expect(
      ssm.send(
        new CreateAssociationCommand({
          Name: "AWS-GatherSoftwareInventory",
          Targets: [{ Key: "tag:a", Values: ["b"] }],
          ScheduleExpression: "rate(5 minutes)",
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidSchedule);
    await expect(
      ssm.send(new DescribeAssociationCommand({ AssociationId: "6d7c8f5e-1111-4222-8333-444455556666" })),
    ).rejects.toBeInstanceOf(AssociationDoesNotExist);
  });

  it("pages ListAssociations with the SDK paginator", async () => {
    for (let i = 0; i < 3; i++) {
      await ssm.send(
        new CreateAssociationCommand({
          Name: "AWS-GatherSoftwareInventory",
          Targets: [{ Key: "tag:page", Values: [`${i}`] }],
        }),
      );
    }
    const all = (await ssm.send(new ListAssociationsCommand({}))).Associations ?? [];
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAssociations({ client: ssm, pageSize: 2 }, {})) {
      pages.push(page.Associations?.length ?? 0);
      ids.push(...(page.Associations ?? []).map((a) => a.AssociationId as string));
    }
    expect(ids.sort()).toEqual(all.map((a) => a.AssociationId as string).sort());
    expect(Math.max(...pages)).toBeLessThanOrEqual(2);
  });
});

describe("associations with the aws CLI", () => {
  it("lists with auto-pagination, and refuses to delete a document in use", async () => {
    const listed = await cli("list-associations", "--page-size", "1");
    expect(listed.code).toBe(0);
    expect(listed.json.Associations.length).toBeGreaterThanOrEqual(6);
    expect(listed.json.NextToken).toBeUndefined();

    const docPath = `${process.env.TMPDIR ?? "/tmp"}/osm-assoc-doc.json`;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      docPath,
      JSON.stringify({
        schemaVersion: "2.2",
        mainSteps: [{ action: "aws:runShellScript", name: "a", inputs: { runCommand: ["ls"] } }],
      }),
    );
    expect((await cli("create-document", "--name", "cli-guarded", "--content", `file://${docPath}`)).code).toBe(0);
    const created = await cli("create-association", "--name", "cli-guarded", "--targets", "Key=tag:env,Values=prod");
    expect(created.code).toBe(0);
    const refused = await cli("delete-document", "--name", "cli-guarded");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("(AssociatedInstances)");
    expect(
      (await cli("delete-association", "--association-id", created.json.AssociationDescription.AssociationId)).code,
    ).toBe(0);
    expect((await cli("delete-document", "--name", "cli-guarded")).code).toBe(0);
  }, 60_000);

  it("describes, updates and lists versions", async () => {
    const described = await cli(
      "describe-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--instance-id",
      "i-02573cafcfEXAMPLE",
    );
    const id = described.json.AssociationDescription.AssociationId;
    const updated = await cli("update-association", "--association-id", id, "--parameters", "version=3.3.0.0");
    expect(updated.json.AssociationDescription.AssociationVersion).toBe("2");
    const versions = await cli("list-association-versions", "--association-id", id);
    expect(versions.json.AssociationVersions.map((v: { AssociationVersion: string }) => v.AssociationVersion)).toEqual([
      "1",
      "2",
    ]);
  }, 60_000);
});
