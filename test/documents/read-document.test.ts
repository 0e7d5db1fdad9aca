import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { commandContent, yamlCommandContent } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("CreateDocument", { Name: "reader", Content: commandContent("one"), VersionName: "v-one" });
  await call("UpdateDocument", { Name: "reader", Content: commandContent("two"), VersionName: "v-two" });
  await call("CreateDocument", { Name: "yaml-reader", Content: yamlCommandContent, DocumentFormat: "YAML" });
});

describe("GetDocument", () => {
  it("returns the default version's content as stored", async () => {
    const result = await call("GetDocument", { Name: "reader" });
    expect(result).toMatchObject({
      Name: "reader",
      DocumentVersion: "1",
      VersionName: "v-one",
      Status: "Active",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      Content: commandContent("one"),
    });
    expect(typeof result.CreatedDate).toBe("number");
  });

  it("returns $LATEST, a version number, or a version name", async () => {
    expect((await call("GetDocument", { Name: "reader", DocumentVersion: "$LATEST" })).Content).toBe(
      commandContent("two"),
    );
    expect((await call("GetDocument", { Name: "reader", DocumentVersion: "2" })).VersionName).toBe("v-two");
    expect((await call("GetDocument", { Name: "reader", VersionName: "v-two" })).DocumentVersion).toBe("2");
    expect((await call("GetDocument", { Name: "reader", DocumentVersion: "$DEFAULT" })).DocumentVersion).toBe("1");
  });

  it("converts JSON to YAML and YAML to JSON on request", async () => {
    const asYaml = await call("GetDocument", { Name: "reader", DocumentFormat: "YAML" });
    expect(asYaml.DocumentFormat).toBe("YAML");
    expect(parseYaml(asYaml.Content)).toEqual(JSON.parse(commandContent("one")));
    const asJson = await call("GetDocument", { Name: "yaml-reader", DocumentFormat: "JSON" });
    expect(JSON.parse(asJson.Content)).toEqual(parseYaml(yamlCommandContent));
    expect((await call("GetDocument", { Name: "yaml-reader" })).Content).toBe(yamlCommandContent);
  });

  it("accepts the document's ARN", async () => {
    const arn = "arn:aws:ssm:us-east-1:000000000000:document/reader";
    expect((await call("GetDocument", { Name: arn })).Name).toBe("reader");
  });

  it("reads AWS-owned documents", async () => {
    const result = await call("GetDocument", { Name: "AWS-RunShellScript" });
    expect(result.DocumentType).toBe("Command");
    expect(JSON.parse(result.Content).runtimeConfig["aws:runShellScript"]).toBeDefined();
    expect((await call("GetDocument", { Name: "arn:aws:ssm:us-east-1::document/AWS-RunShellScript" })).Name).toBe(
      "AWS-RunShellScript",
    );
  });

  it("answers InvalidDocument for a missing document, or another account's ARN", async () => {
    expect(await fails("GetDocument", { Name: "missing-doc" })).toEqual({
      status: 400,
      type: "InvalidDocument",
      message: "Document with name missing-doc does not exist.",
    });
    expect((await fails("GetDocument", { Name: "arn:aws:ssm:us-east-1:123456789012:document/reader" })).type).toBe(
      "InvalidDocument",
    );
  });

  it("answers InvalidDocumentVersion for a missing version or a mismatched name", async () => {
    const missing = await fails("GetDocument", { Name: "reader", DocumentVersion: "9" });
    expect(missing).toMatchObject({ status: 400, type: "InvalidDocumentVersion" });
    expect((await fails("GetDocument", { Name: "reader", VersionName: "nope" })).type).toBe("InvalidDocumentVersion");
    expect((await fails("GetDocument", { Name: "reader", VersionName: "v-one", DocumentVersion: "2" })).type).toBe(
      "InvalidDocumentVersion",
    );
  });
});

describe("DescribeDocument", () => {
  it("describes the default version, with document-wide latest and default", async () => {
    const { Document: d } = await call("DescribeDocument", { Name: "reader" });
    expect(d).toMatchObject({
      Name: "reader",
      Status: "Active",
      DocumentVersion: "1",
      LatestVersion: "2",
      DefaultVersion: "1",
      VersionName: "v-one",
      Description: "Says one",
      Owner: "000000000000",
      HashType: "Sha256",
    });
  });

  it("describes a given version", async () => {
    const { Document: d } = await call("DescribeDocument", { Name: "reader", DocumentVersion: "$LATEST" });
    expect(d).toMatchObject({ DocumentVersion: "2", Description: "Says two", VersionName: "v-two" });
    expect((await call("DescribeDocument", { Name: "reader", VersionName: "v-two" })).Document.DocumentVersion).toBe(
      "2",
    );
  });

  it("describes AWS-owned documents with owner Amazon, parameters and platforms", async () => {
    const { Document: d } = await call("DescribeDocument", { Name: "AWS-RunPowerShellScript" });
    expect(d).toMatchObject({
      Owner: "Amazon",
      DocumentType: "Command",
      SchemaVersion: "1.2",
      PlatformTypes: ["Windows", "Linux"],
    });
    expect(d.Parameters.map((p: { Name: string }) => p.Name)).toContain("commands");
  });

  it("answers InvalidDocument and InvalidDocumentVersion", async () => {
    expect((await fails("DescribeDocument", { Name: "missing-doc" })).type).toBe("InvalidDocument");
    expect((await fails("DescribeDocument", { Name: "reader", DocumentVersion: "3" })).type).toBe(
      "InvalidDocumentVersion",
    );
  });
});
