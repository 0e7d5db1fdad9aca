/**
 * End to end through the real `aws` CLI (v1, botocore): the commands of docs/documents.md's
 * worked example against the local server in-process. Each invocation starts a Python process, so
 * the calls here are few and each checks as much as it can.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import { commandContent } from "../support/fixtures.ts";

const CLI_TIMEOUT = 120_000;

const server = useLocalEndpoint();
let workDir: string;
let contentFile: string;
let updatedFile: string;

/** Runs `aws ssm <args>` against the local server; never rejects, the exit code tells. */
const aws = (...args: string[]) => awsCli(server.url, args, { output: "json" });

/** Runs a command that must succeed and returns its JSON output (or undefined when there is none). */
async function ok<T = Record<string, Record<string, unknown>>>(...args: string[]): Promise<T> {
  const result = await aws(...args);
  if (result.code !== 0) {
    throw new Error(`aws ssm ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return (result.stdout.trim() === "" ? undefined : JSON.parse(result.stdout)) as T;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "osm-cli-"));
  contentFile = join(workDir, "my-doc.json");
  updatedFile = join(workDir, "my-doc-v2.json");
  await writeFile(contentFile, commandContent("from the cli"));
  await writeFile(updatedFile, commandContent("version two"));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("the aws CLI", { timeout: CLI_TIMEOUT }, () => {
  it("creates a document from a file, as docs/documents.md shows", async () => {
    const { DocumentDescription: d } = await ok(
      "create-document",
      "--content",
      `file://${contentFile}`,
      "--name",
      "my-doc",
      "--document-type",
      "Command",
    );
    expect(d).toMatchObject({
      Name: "my-doc",
      Owner: "000000000000",
      DocumentVersion: "1",
      LatestVersion: "1",
      DefaultVersion: "1",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      SchemaVersion: "2.2",
      Description: "Says from the cli",
      PlatformTypes: ["Linux", "MacOS"],
    });
    expect(d?.Hash).toMatch(/^[0-9a-f]{64}$/);
    // CLI v1 prints timestamps as they came over the wire (cli_timestamp_format "none"): epoch seconds.
    expect(typeof d?.CreatedDate).toBe("number");
    expect(Math.abs(Number(d?.CreatedDate) - Date.now() / 1000)).toBeLessThan(120);
  });

  it("refuses a duplicate create with a non-zero exit and the AWS error", async () => {
    const result = await aws("create-document", "--content", `file://${contentFile}`, "--name", "my-doc");
    expect([254, 255]).toContain(result.code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("(DocumentAlreadyExists)");
    expect(result.stderr).toContain("Document with same name my-doc already exists");
  });

  it("gets and describes the document", async () => {
    const got = await ok("get-document", "--name", "my-doc");
    expect(got).toMatchObject({
      Name: "my-doc",
      DocumentVersion: "1",
      Status: "Active",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      Content: commandContent("from the cli"),
    });

    const asYaml = await ok("get-document", "--name", "my-doc", "--document-format", "YAML");
    expect(asYaml).toMatchObject({ Name: "my-doc", DocumentFormat: "YAML" });
    expect(asYaml.Content).toEqual(expect.stringContaining('schemaVersion: "2.2"\n'));
    expect(asYaml.Content).toEqual(expect.stringContaining("description: Says from the cli\n"));

    const { Document: d } = await ok("describe-document", "--name", "my-doc", "--document-version", "1");
    expect(d).toMatchObject({
      Name: "my-doc",
      DocumentVersion: "1",
      Status: "Active",
      Description: "Says from the cli",
    });
  });

  it("shows InvalidDocument for a missing document", async () => {
    const result = await aws("describe-document", "--name", "no-such-doc");
    expect([254, 255]).toContain(result.code);
    expect(result.stderr).toContain("(InvalidDocument)");
    expect(result.stderr).toContain("no-such-doc");
  });

  it("updates $LATEST, moves the default, and lists the versions", async () => {
    const { DocumentDescription: updated } = await ok(
      "update-document",
      "--name",
      "my-doc",
      "--content",
      `file://${updatedFile}`,
      "--document-version",
      "$LATEST",
    );
    expect(updated).toMatchObject({
      DocumentVersion: "2",
      LatestVersion: "2",
      DefaultVersion: "1",
      Description: "Says version two",
    });

    const moved = await ok("update-document-default-version", "--name", "my-doc", "--document-version", "2");
    expect(moved?.Description).toMatchObject({ Name: "my-doc", DefaultVersion: "2" });

    const { DocumentVersions } = await ok<{ DocumentVersions: Record<string, unknown>[] }>(
      "list-document-versions",
      "--name",
      "my-doc",
    );
    expect(DocumentVersions.map((v) => [v.DocumentVersion, v.IsDefaultVersion]).sort()).toEqual([
      ["1", false],
      ["2", true],
    ]);
  });

  it("lists the account's documents, auto-paginating with --page-size 1", async () => {
    // my-doc exists; two more make three documents of our own.
    await ok("create-document", "--content", commandContent("second"), "--name", "my-doc-2");
    await ok("create-document", "--content", commandContent("third"), "--name", "my-doc-3");

    const filtered = await ok<{ DocumentIdentifiers: Record<string, unknown>[]; NextToken?: string }>(
      "list-documents",
      "--filters",
      "Key=Owner,Values=Self",
    );
    expect(filtered.DocumentIdentifiers.map((d) => d.Name)).toEqual(["my-doc", "my-doc-2", "my-doc-3"]);
    expect(filtered.DocumentIdentifiers[0]).toMatchObject({ Owner: "000000000000", DocumentVersion: "2" });

    // One document per request: the CLI must follow NextToken twice to print all three.
    const paged = await ok<{ DocumentIdentifiers: Record<string, unknown>[]; NextToken?: string }>(
      "list-documents",
      "--filters",
      "Key=Owner,Values=Self",
      "--page-size",
      "1",
    );
    expect(paged.DocumentIdentifiers.map((d) => d.Name)).toEqual(["my-doc", "my-doc-2", "my-doc-3"]);
    expect(paged.NextToken).toBeUndefined();
  });

  it("tags a document and lists its tags", async () => {
    const added = await aws(
      "add-tags-to-resource",
      "--resource-type",
      "Document",
      "--resource-id",
      "my-doc",
      "--tags",
      "Key=env,Value=dev",
      "Key=team,Value=ops",
    );
    expect(added).toMatchObject({ code: 0, stdout: "" });

    const { TagList } = await ok<{ TagList: { Key: string; Value: string }[] }>(
      "list-tags-for-resource",
      "--resource-type",
      "Document",
      "--resource-id",
      "my-doc",
    );
    expect([...TagList].sort((a, b) => a.Key.localeCompare(b.Key))).toEqual([
      { Key: "env", Value: "dev" },
      { Key: "team", Value: "ops" },
    ]);
  });

  it("deletes a document", async () => {
    const deleted = await aws("delete-document", "--name", "my-doc-3");
    expect(deleted).toMatchObject({ code: 0, stdout: "" });
    const after = await aws("describe-document", "--name", "my-doc-3");
    expect([254, 255]).toContain(after.code);
    expect(after.stderr).toContain("(InvalidDocument)");
  });
});
