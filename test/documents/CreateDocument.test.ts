import { beforeAll, describe, expect, it } from "vitest";
import { automationContent, commandContent, yamlCommandContent } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

describe("CreateDocument", () => {
  it("creates a Command document and answers with its full description", async () => {
    const before = Date.now() / 1000;
    const { DocumentDescription: d } = await call("CreateDocument", {
      Name: "create-basic",
      Content: commandContent(),
      DocumentType: "Command",
    });
    expect(d).toMatchObject({
      Name: "create-basic",
      HashType: "Sha256",
      Owner: "000000000000",
      Status: "Creating",
      DocumentVersion: "1",
      LatestVersion: "1",
      DefaultVersion: "1",
      DocumentType: "Command",
      SchemaVersion: "2.2",
      DocumentFormat: "JSON",
      Description: "Says hello",
      Parameters: [{ Name: "message", Type: "String", Description: "What to say", DefaultValue: "hello" }],
      PlatformTypes: ["Linux", "MacOS"],
      Tags: [],
    });
    expect(d.Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(d.CreatedDate).toBeGreaterThanOrEqual(Math.floor(before));
  });

  it("defaults the document type to Command and the format to JSON", async () => {
    const { DocumentDescription: d } = await call("CreateDocument", {
      Name: "create-defaults",
      Content: commandContent(),
    });
    expect(d.DocumentType).toBe("Command");
    expect(d.DocumentFormat).toBe("JSON");
  });

  it("accepts YAML content and derives platforms and parameters from it", async () => {
    const { DocumentDescription: d } = await call("CreateDocument", {
      Name: "create-yaml",
      Content: yamlCommandContent,
      DocumentFormat: "YAML",
    });
    expect(d.DocumentFormat).toBe("YAML");
    expect(d.PlatformTypes).toEqual(["Windows", "Linux"]);
    expect(d.Parameters).toEqual([{ Name: "count", Type: "Integer", DefaultValue: "3" }]);
  });

  it("creates Automation documents for every platform", async () => {
    const { DocumentDescription: d } = await call("CreateDocument", {
      Name: "create-automation",
      Content: automationContent,
      DocumentType: "Automation",
    });
    expect(d.SchemaVersion).toBe("0.3");
    expect(d.PlatformTypes).toEqual(["Windows", "Linux", "MacOS"]);
  });

  it("echoes VersionName, DisplayName, TargetType, Requires and Tags", async () => {
    const { DocumentDescription: d } = await call("CreateDocument", {
      Name: "create-echo",
      Content: commandContent(),
      VersionName: "Release-1.0",
      DisplayName: "Echo test",
      TargetType: "/AWS::EC2::Instance",
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(d).toMatchObject({
      VersionName: "Release-1.0",
      DisplayName: "Echo test",
      TargetType: "/AWS::EC2::Instance",
      Tags: [{ Key: "team", Value: "platform" }],
    });
  });

  it("refuses a second document with the same name", async () => {
    await call("CreateDocument", { Name: "create-dup", Content: commandContent() });
    expect(await fails("CreateDocument", { Name: "create-dup", Content: commandContent("other") })).toEqual({
      status: 400,
      type: "DocumentAlreadyExists",
      message: "Document with same name create-dup already exists",
    });
  });

  it.each([["AWS-Mine"], ["aws-mine"], ["amazonThing"], ["AmznThing"], ["AWSEC2-Mine"], ["AWSSupport-Mine"]])(
    "refuses the reserved name %s",
    async (name) => {
      expect(await fails("CreateDocument", { Name: name, Content: commandContent() })).toMatchObject({
        status: 400,
        type: "ValidationException",
        message: `Invalid document name ${name}`,
      });
    },
  );

  it("refuses content that is not JSON, with the position", async () => {
    expect(await fails("CreateDocument", { Name: "bad-json", Content: '{"schemaVersion": "2.2",\n  oops}' })).toEqual({
      status: 400,
      type: "InvalidDocumentContent",
      message: "JSON not well-formed. at Line: 2, Column: 3",
    });
  });

  it("refuses content that is not YAML", async () => {
    const failure = await fails("CreateDocument", { Name: "bad-yaml", Content: "a: [1, 2", DocumentFormat: "YAML" });
    expect(failure.type).toBe("InvalidDocumentContent");
    expect(failure.message).toMatch(/^YAML not well-formed\. at Line: \d+, Column: \d+$/);
  });

  it("refuses content that is JSON but not an object", async () => {
    expect((await fails("CreateDocument", { Name: "bad-array", Content: "[1,2]" })).type).toBe(
      "InvalidDocumentContent",
    );
  });

  it("refuses content without a schemaVersion", async () => {
    expect(
      await fails("CreateDocument", { Name: "no-schema", Content: JSON.stringify({ mainSteps: [] }) }),
    ).toMatchObject({ type: "InvalidDocumentContent", message: expect.stringContaining("schemaVersion") });
  });

  it("refuses a schema version the document type does not support", async () => {
    expect(
      await fails("CreateDocument", {
        Name: "bad-schema",
        Content: JSON.stringify({ schemaVersion: "9.9", mainSteps: [{ action: "aws:runShellScript", name: "a" }] }),
      }),
    ).toEqual({
      status: 400,
      type: "InvalidDocumentSchemaVersion",
      message: "9.9 is not a valid schema version for Command document type",
    });
  });

  it("refuses a command document without steps", async () => {
    expect(
      await fails("CreateDocument", {
        Name: "no-steps",
        Content: JSON.stringify({ schemaVersion: "2.2", mainSteps: [] }),
      }),
    ).toMatchObject({ type: "InvalidDocumentContent", message: expect.stringContaining("mainSteps") });
    expect(
      await fails("CreateDocument", { Name: "no-runtime", Content: JSON.stringify({ schemaVersion: "1.2" }) }),
    ).toMatchObject({ type: "InvalidDocumentContent", message: expect.stringContaining("runtimeConfig") });
  });

  it("refuses content over 64 KB", async () => {
    const content = commandContent("x".repeat(64 * 1024));
    expect(await fails("CreateDocument", { Name: "too-big", Content: content })).toMatchObject({
      status: 400,
      type: "MaxDocumentSizeExceeded",
    });
  });

  it("refuses TEXT content for a Command document, and attachments", async () => {
    expect((await fails("CreateDocument", { Name: "text-doc", Content: "hello", DocumentFormat: "TEXT" })).type).toBe(
      "InvalidDocumentContent",
    );
    const withAttachment = await fails("CreateDocument", {
      Name: "attached",
      Content: commandContent(),
      Attachments: [{ Key: "SourceUrl", Values: ["s3://bucket/x"] }],
    });
    expect(withAttachment).toMatchObject({
      type: "ValidationException",
      message: expect.stringContaining("Attachments"),
    });
  });

  it("refuses more than 50 tags", async () => {
    const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect((await fails("CreateDocument", { Name: "many-tags", Content: commandContent(), Tags })).type).toBe(
      "TooManyTagsError",
    );
  });

  it("writes nothing for any refused request", async () => {
    const before = await table.items();
    const refused = [
      { Name: "AWS-Reserved", Content: commandContent() },
      { Name: "bad-json-2", Content: "{" },
      { Name: "x", Content: commandContent() },
      { Name: "create-dup", Content: commandContent("again") },
      { Name: "too-big-2", Content: commandContent("y".repeat(70_000)) },
      { Name: "wrong-type", Content: 42 },
    ];
    for (const request of refused) expect((await invoke("CreateDocument", request)).status).toBe(400);
    expect(await table.items()).toEqual(before);
  });
});
