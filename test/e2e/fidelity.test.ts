/**
 * Issue 12: what AWS's published examples (the AWS CLI example pages, awscli/examples/ssm/*.rst)
 * and the API reference show, run against the local endpoint with the real `aws` CLI and the SDK
 * v3 client. Every test names its source; where a published output and the reference text
 * disagree, the published output wins and the test says so.
 */
import { createHash } from "node:crypto";
import {
  CreateAssociationBatchCommand,
  CreateAssociationCommand,
  CreateDocumentCommand,
  DeleteDocumentCommand,
  DuplicateInstanceId,
  GetDocumentCommand,
  InvalidDocument,
  InvalidDocumentOperation,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, postTo, useLocalEndpoint } from "../support/endpoint.ts";
import { commandContent } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY, type Identity } from "../support/identity.ts";

const CLI_TIMEOUT = 120_000;
const server = useLocalEndpoint();
let ssm: SSMClient;

// biome-ignore lint/suspicious/noExplicitAny: reads the CLI's JSON freely
async function cli(...args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  return cliAs(DEFAULT_IDENTITY, ...args);
}

// biome-ignore lint/suspicious/noExplicitAny: reads the CLI's JSON freely
async function cliAs(identity: Identity, ...args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  const result = await awsCli(server.url, args, { output: "json", identity });
  if (result.code !== 0) return { code: result.code, json: undefined, stderr: result.stderr };
  return { code: 0, json: result.stdout.trim() ? JSON.parse(result.stdout) : {}, stderr: result.stderr };
}

/** Makes `id` a managed Linux node of the default account (a heartbeat with account credentials). */
async function node(id: string): Promise<void> {
  const body = JSON.stringify({ InstanceId: id, PlatformType: "Linux" });
  const answer = await postTo(server, "UpdateInstanceInformation", body, { identity: DEFAULT_IDENTITY });
  expect(answer.status).toBe(200);
}

beforeAll(() => {
  ssm = new SSMClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
});

afterAll(() => {
  ssm?.destroy();
});

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("GetDocument of AWS-owned documents returns AWS's published text byte for byte", {
  timeout: CLI_TIMEOUT,
}, () => {
  it("AWS-RunShellScript as awscli/examples/ssm/get-document.rst prints it (4-space indent, no space after ':', trailing newline)", async () => {
    const { code, json } = await cli("get-document", "--name", "AWS-RunShellScript");
    expect(code).toBe(0);
    // The published output's members (that page prints no CreatedDate; we add nothing else it lacks
    // but the members the model defines and the page leaves out).
    expect(json).toMatchObject({
      Name: "AWS-RunShellScript",
      DocumentVersion: "1",
      Status: "Active",
      DocumentType: "Command",
      DocumentFormat: "JSON",
    });
    const content: string = json.Content;
    // The decoded Content string of the published page: 1321 bytes, this SHA-256.
    expect(Buffer.byteLength(content, "utf8")).toBe(1321);
    expect(sha256(content)).toBe("99749de5e62f71e5ebe9a55c2321e2c394796afe7208cff048696541e6f6771e");
    expect(content.startsWith('{\n    "schemaVersion":"1.2",\n    "description":"Run a shell script')).toBe(true);
    expect(content.endsWith("\n}\n")).toBe(true);
  });

  it("AWS-UpdateSSMAgent as awscli/examples/ssm/describe-effective-instance-associations.rst prints its Content", async () => {
    const { code, json } = await cli("get-document", "--name", "AWS-UpdateSSMAgent");
    expect(code).toBe(0);
    expect(json).toMatchObject({ Name: "AWS-UpdateSSMAgent", DocumentVersion: "1", DocumentFormat: "JSON" });
    const content: string = json.Content;
    expect(Buffer.byteLength(content, "utf8")).toBe(1249);
    expect(sha256(content)).toBe("53c06c366cf29363cdbd1c9bb6b8cf212b9172a14e763b37036c281c8880c063");
    // The published text's own quirk: properties[0]'s members sit at the indentation of its "{".
    expect(content).toContain('                {\n                "agentName": "amazon-ssm-agent",');
  });

  it("DescribeDocument's Hash is the SHA-256 of those bytes (the stored text, not a re-serialization)", async () => {
    const { code, json } = await cli("describe-document", "--name", "AWS-RunShellScript");
    expect(code).toBe(0);
    expect(json.Document).toMatchObject({ HashType: "Sha256", Owner: "Amazon" });
    expect(json.Document.Hash).toBe("99749de5e62f71e5ebe9a55c2321e2c394796afe7208cff048696541e6f6771e");
  });
});

describe("ListComplianceItems and ListComplianceSummaries as AWS's examples show them", {
  timeout: CLI_TIMEOUT,
}, () => {
  const NODE = "i-1234567890abcdef0";

  it('the association compliance item: Title "", ExecutionSummary with only ExecutionTime, Details.DocumentVersion the version that ran (awscli/examples/ssm/list-compliance-items.rst)', async () => {
    await node(NODE);
    const created = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--targets",
      `Key=InstanceIds,Values=${NODE}`,
      "--association-name",
      "agent-updates",
    );
    expect(created.code).toBe(0);
    const id = created.json.AssociationDescription.AssociationId;
    const report = JSON.stringify({
      AssociationId: id,
      InstanceId: NODE,
      ExecutionResult: { Status: "Success", ExecutionDate: Date.parse("2019-02-18T17:00:00Z") / 1000 },
    });
    expect((await postTo(server, "UpdateInstanceAssociationStatus", report)).status).toBe(200);
    const { code, json } = await cli(
      "list-compliance-items",
      "--resource-ids",
      NODE,
      "--resource-types",
      "ManagedInstance",
    );
    expect(code).toBe(0);
    expect(json.ComplianceItems).toEqual([
      {
        ComplianceType: "Association",
        ResourceType: "ManagedInstance",
        ResourceId: NODE,
        Id: id,
        Title: "",
        Status: "COMPLIANT",
        Severity: "UNSPECIFIED",
        ExecutionSummary: { ExecutionTime: expect.any(Number) },
        Details: { DocumentName: "AWS-UpdateSSMAgent", DocumentVersion: "1" },
      },
    ]);
  });

  it("list-compliance-items --filters Key=ExecutionTime,...,Type=GREATER_THAN (the CLI example) and LESS_THAN", async () => {
    const after = await cli(
      "list-compliance-items",
      "--resource-ids",
      NODE,
      "--resource-types",
      "ManagedInstance",
      "--filters",
      "Key=ExecutionTime,Values=2019-02-18T16:00:00Z,Type=GREATER_THAN",
    );
    expect(after.code).toBe(0);
    expect(after.json.ComplianceItems).toHaveLength(1);
    const before = await cli(
      "list-compliance-items",
      "--resource-ids",
      NODE,
      "--resource-types",
      "ManagedInstance",
      "--filters",
      "Key=ExecutionTime,Values=2019-02-18T16:00:00Z,Type=LESS_THAN",
    );
    expect(before.json.ComplianceItems).toEqual([]);
  });

  it("list-compliance-summaries, and filtered by Key=ComplianceType,Values=Patch,Type=EQUAL (awscli/examples/ssm/list-compliance-summaries.rst)", async () => {
    const zero = {
      CriticalCount: 0,
      HighCount: 0,
      MediumCount: 0,
      LowCount: 0,
      InformationalCount: 0,
      UnspecifiedCount: 0,
    };
    const all = await cli("list-compliance-summaries");
    expect(all.code).toBe(0);
    expect(all.json).toEqual({
      ComplianceSummaryItems: [
        {
          ComplianceType: "Association",
          CompliantSummary: { CompliantCount: 1, SeveritySummary: { ...zero, UnspecifiedCount: 1 } },
          NonCompliantSummary: { NonCompliantCount: 0, SeveritySummary: zero },
        },
      ],
    });
    const patch = await cli("list-compliance-summaries", "--filters", "Key=ComplianceType,Values=Patch,Type=EQUAL");
    expect(patch.code).toBe(0);
    expect(patch.json).toEqual({ ComplianceSummaryItems: [] });
  });
});

describe("CreateAssociation, UpdateAssociation, CreateAssociationBatch as AWS's examples show them", {
  timeout: CLI_TIMEOUT,
}, () => {
  const TARGET_NODE = "i-0cb2b964d3e14fd9f";

  it('create-association --targets "Key=instanceids,..." echoes Key InstanceIds (awscli/examples/ssm/create-association.rst example 2)', async () => {
    await node(TARGET_NODE);
    const { code, json, stderr } = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--targets",
      `Key=instanceids,Values=${TARGET_NODE}`,
    );
    expect(code, stderr).toBe(0);
    expect(json.AssociationDescription).toMatchObject({
      Name: "AWS-UpdateSSMAgent",
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      DocumentVersion: "$DEFAULT",
      Targets: [{ Values: [TARGET_NODE], Key: "InstanceIds" }],
    });
  });

  it("example 3: the same with --schedule-expression at(...) --apply-only-at-cron-interval", async () => {
    const { code, json, stderr } = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--targets",
      `Key=instanceids,Values=${TARGET_NODE}`,
      "--schedule-expression",
      "at(2030-05-14T15:55:00)",
      "--apply-only-at-cron-interval",
    );
    expect(code, stderr).toBe(0);
    expect(json.AssociationDescription).toMatchObject({
      Targets: [{ Values: [TARGET_NODE], Key: "InstanceIds" }],
      ScheduleExpression: "at(2030-05-14T15:55:00)",
      ApplyOnlyAtCronInterval: true,
    });
  });

  // Following the published outputs, which keep Name and Targets although the API reference's note
  // on UpdateAssociation says omitted members, "This includes the Name parameter", are cleared.
  it('update-association --document-version "$LATEST" keeps Name and Targets (awscli/examples/ssm/update-association.rst example 1)', async () => {
    const created = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--targets",
      "Key=tag:Name,Values=Linux",
    );
    const id = created.json.AssociationDescription.AssociationId;
    const { code, json, stderr } = await cli(
      "update-association",
      "--association-id",
      id,
      "--document-version",
      "$LATEST",
    );
    expect(code, stderr).toBe(0);
    // The published output's members, no more (it has LastExecutionDate and
    // LastSuccessfulExecutionDate too, from runs this association hasn't had).
    expect(json).toEqual({
      AssociationDescription: {
        Name: "AWS-UpdateSSMAgent",
        AssociationVersion: "2",
        Date: expect.any(Number),
        LastUpdateAssociationDate: expect.any(Number),
        Overview: { Status: "Pending", DetailedStatus: "Creating" },
        DocumentVersion: "$LATEST",
        AssociationId: id,
        Targets: [{ Key: "tag:Name", Values: ["Linux"] }],
        ApplyOnlyAtCronInterval: false,
      },
    });
  });

  it("update-association --schedule-expression keeps Name and Targets (example 2)", async () => {
    const created = await cli(
      "create-association",
      "--name",
      "AWS-UpdateSSMAgent",
      "--targets",
      "Key=tag:Name,Values=Linux",
      "--parameters",
      "version=3.3.0.0",
    );
    const id = created.json.AssociationDescription.AssociationId;
    const { code, json } = await cli(
      "update-association",
      "--association-id",
      id,
      "--schedule-expression",
      "cron(0 0 0/4 1/1 * ? *)",
    );
    expect(code).toBe(0);
    expect(json.AssociationDescription).toMatchObject({
      Name: "AWS-UpdateSSMAgent",
      AssociationVersion: "2",
      DocumentVersion: "$DEFAULT",
      Targets: [{ Key: "tag:Name", Values: ["Linux"] }],
      ScheduleExpression: "cron(0 0 0/4 1/1 * ? *)",
      ApplyOnlyAtCronInterval: false,
    });
    // Parameters were not repeated, so they are cleared (API_UpdateAssociation note; terraform-provider-aws #3407).
    expect(json.AssociationDescription).not.toHaveProperty("Parameters");
  });

  it("CreateAssociationBatch with one node id in two entries: the SDK throws DuplicateInstanceId for the whole call (model: an operation error of CreateAssociationBatch)", async () => {
    await node("i-0aabb22330000aaaa");
    const error = await ssm
      .send(
        new CreateAssociationBatchCommand({
          Entries: [
            { Name: "AWS-UpdateSSMAgent", InstanceId: "i-0aabb22330000aaaa" },
            { Name: "AWS-GatherSoftwareInventory", InstanceId: "i-0aabb22330000aaaa" },
          ],
        }),
      )
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(DuplicateInstanceId);
    expect((error as DuplicateInstanceId).$metadata.httpStatusCode).toBe(400);
    const listed = await cli(
      "list-associations",
      "--association-filter-list",
      "key=InstanceId,value=i-0aabb22330000aaaa",
    );
    expect(listed.json.Associations).toEqual([]);
  });
});

describe("ModifyDocumentPermission, DescribeDocumentPermission and shared documents between accounts", {
  timeout: CLI_TIMEOUT,
}, () => {
  const OWNER = "000000000000";
  const OTHER = "444455556666";
  let other: Identity;
  let otherSsm: SSMClient;
  const docArn = (name: string) => `arn:aws:ssm:us-east-1:${OWNER}:document/${name}`;

  beforeAll(async () => {
    await server.table.accounts.createAccount(OTHER);
    const key = await server.table.accounts.createAccessKey(OTHER);
    other = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: "us-east-1" };
    otherSsm = new SSMClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey },
      maxAttempts: 1,
    });
    await ssm.send(new CreateDocumentCommand({ Name: "Example", Content: commandContent("shared") }));
  });

  afterAll(() => otherSsm?.destroy());

  it("modify-document-permission --account-ids-to-add prints nothing (awscli/examples/ssm/modify-document-permission.rst; API sample shares with 444455556666)", async () => {
    const result = await awsCli(
      server.url,
      ["modify-document-permission", "--name", "Example", "--permission-type", "Share", "--account-ids-to-add", OTHER],
      { output: "json" },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("");
  });

  it("the other account describes, gets and associates it by ARN (user guide documents-ssm-sharing; CreateAssociation.Name)", async () => {
    const described = await cliAs(other, "describe-document", "--name", docArn("Example"));
    expect(described.code, described.stderr).toBe(0);
    expect(described.json.Document).toMatchObject({ Name: "Example", Owner: OWNER, Status: "Active" });
    const got = await otherSsm.send(new GetDocumentCommand({ Name: docArn("Example") }));
    expect(got.Content).toBe(commandContent("shared"));
    const listed = await cliAs(other, "list-documents", "--filters", "Key=Owner,Values=Private");
    expect(listed.json.DocumentIdentifiers).toEqual([
      expect.objectContaining({ Name: "Example", Owner: OWNER, DocumentType: "Command", Tags: [] }),
    ]);
    const otherNode = "i-0abcabcabcabcabc1";
    const heartbeat = JSON.stringify({ InstanceId: otherNode, PlatformType: "Linux" });
    expect((await postTo(server, "UpdateInstanceInformation", heartbeat, { identity: other })).status).toBe(200);
    const { AssociationDescription } = await otherSsm.send(
      new CreateAssociationCommand({ Name: docArn("Example"), Targets: [{ Key: "InstanceIds", Values: [otherNode] }] }),
    );
    expect(AssociationDescription?.Name).toBe(docArn("Example"));
    // The owner can't delete it while it is shared (InvalidDocumentOperation's documentation).
    const refused = await ssm.send(new DeleteDocumentCommand({ Name: "Example" })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(InvalidDocumentOperation);
  });

  it("describe-document-permission after sharing with All prints the published shape, lowercase all (awscli/examples/ssm/describe-document-permission.rst)", async () => {
    const shared = await cli(
      "modify-document-permission",
      "--name",
      "Example",
      "--permission-type",
      "Share",
      "--account-ids-to-add",
      "All",
      "--account-ids-to-remove",
      OTHER,
    );
    expect(shared.code, shared.stderr).toBe(0);
    const { code, json } = await cli("describe-document-permission", "--name", "Example", "--permission-type", "Share");
    expect(code).toBe(0);
    expect(json).toEqual({
      AccountIds: ["all"],
      AccountSharingInfoList: [{ AccountId: "all", SharedDocumentVersion: "$DEFAULT" }],
    });
    const publicList = await cliAs(other, "list-documents", "--filters", "Key=Owner,Values=Public");
    expect(publicList.json.DocumentIdentifiers).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: "Example", Owner: OWNER })]),
    );
  });

  it("unshared, the ARN stops resolving in the other account (InvalidDocument)", async () => {
    const unshared = await cli(
      "modify-document-permission",
      "--name",
      "Example",
      "--permission-type",
      "Share",
      "--account-ids-to-remove",
      "all",
    );
    expect(unshared.code).toBe(0);
    const error = await otherSsm.send(new GetDocumentCommand({ Name: docArn("Example") })).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidDocument);
    expect((await cli("describe-document-permission", "--name", "Example", "--permission-type", "Share")).json).toEqual(
      {
        AccountIds: [],
        AccountSharingInfoList: [],
      },
    );
  });
});

describe("UpdateDocumentMetadata", { timeout: CLI_TIMEOUT }, () => {
  it("the published command (awscli/examples/ssm/update-document-metadata.rst) on a Command document: a clear refusal", async () => {
    await ssm.send(new CreateDocumentCommand({ Name: "MyCommandDocument", Content: commandContent("metadata") }));
    const result = await awsCli(
      server.url,
      [
        "update-document-metadata",
        "--name",
        "MyCommandDocument",
        "--document-reviews",
        "Action=Approve,Comment=[{Type=Comment,Content=Approved!}]",
      ],
      { output: "json" },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "An error occurred (InvalidDocumentOperation) when calling the UpdateDocumentMetadata operation: Document reviews apply only to Change Manager change templates",
    );
  });
});
