import { beforeAll, describe, expect, it } from "vitest";
import { commandContent } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

describe("UpdateDocument", () => {
  it("adds a version, leaving the default where it was", async () => {
    await call("CreateDocument", { Name: "upd", Content: commandContent("1") });
    const { DocumentDescription: d } = await call("UpdateDocument", {
      Name: "upd",
      Content: commandContent("2"),
      DocumentVersion: "$LATEST",
      VersionName: "second",
    });
    expect(d).toMatchObject({
      Name: "upd",
      Status: "Updating",
      DocumentVersion: "2",
      LatestVersion: "2",
      DefaultVersion: "1",
      VersionName: "second",
      Description: "Says 2",
    });
    const third = await call("UpdateDocument", { Name: "upd", Content: commandContent("3"), DocumentVersion: "2" });
    expect(third.DocumentDescription.DocumentVersion).toBe("3");
    expect(third.DocumentDescription.LatestVersion).toBe("3");
  });

  it("changes the format per version", async () => {
    await call("CreateDocument", { Name: "upd-format", Content: commandContent("1") });
    const yaml =
      'schemaVersion: "2.2"\nmainSteps:\n  - action: aws:runShellScript\n    name: a\n    inputs:\n      runCommand: [ls]\n';
    const { DocumentDescription: d } = await call("UpdateDocument", {
      Name: "upd-format",
      Content: yaml,
      DocumentFormat: "YAML",
    });
    expect(d.DocumentFormat).toBe("YAML");
  });

  it("only updates the latest version", async () => {
    await call("CreateDocument", { Name: "upd-old", Content: commandContent("1") });
    await call("UpdateDocument", { Name: "upd-old", Content: commandContent("2") });
    expect(
      await fails("UpdateDocument", { Name: "upd-old", Content: commandContent("3"), DocumentVersion: "1" }),
    ).toMatchObject({
      status: 400,
      type: "InvalidDocumentVersion",
    });
  });

  it("refuses content identical to an existing version", async () => {
    await call("CreateDocument", { Name: "upd-same", Content: commandContent("1") });
    expect(await fails("UpdateDocument", { Name: "upd-same", Content: commandContent("1") })).toEqual({
      status: 400,
      type: "DuplicateDocumentContent",
      message:
        "The content of the association document matches another document. Change the content of the document and try again.",
    });
  });

  it("refuses a version name already used in the document", async () => {
    await call("CreateDocument", { Name: "upd-vname", Content: commandContent("1"), VersionName: "one" });
    expect(
      (await fails("UpdateDocument", { Name: "upd-vname", Content: commandContent("2"), VersionName: "one" })).type,
    ).toBe("DuplicateDocumentVersionName");
  });

  it("refuses a missing document, an AWS-owned one, and bad content", async () => {
    expect((await fails("UpdateDocument", { Name: "upd-missing", Content: commandContent() })).type).toBe(
      "InvalidDocument",
    );
    expect((await fails("UpdateDocument", { Name: "AWS-RunShellScript", Content: commandContent() })).type).toBe(
      "InvalidDocumentOperation",
    );
    await call("CreateDocument", { Name: "upd-bad", Content: commandContent("1") });
    expect((await fails("UpdateDocument", { Name: "upd-bad", Content: "{nope" })).type).toBe("InvalidDocumentContent");
    expect(
      (
        await fails("UpdateDocument", {
          Name: "upd-bad",
          Content: JSON.stringify({ schemaVersion: "0.3", mainSteps: [] }),
        })
      ).type,
    ).toBe("InvalidDocumentSchemaVersion");
  });

  it("refuses to update a schema 1.2 document", async () => {
    const legacy = JSON.stringify({
      schemaVersion: "1.2",
      runtimeConfig: { "aws:runShellScript": { properties: [] } },
    });
    await call("CreateDocument", { Name: "upd-legacy", Content: legacy });
    expect((await fails("UpdateDocument", { Name: "upd-legacy", Content: commandContent() })).type).toBe(
      "InvalidDocumentSchemaVersion",
    );
  });

  it("writes nothing when refused", async () => {
    await call("CreateDocument", { Name: "upd-nowrite", Content: commandContent("1"), VersionName: "one" });
    const before = await table.items();
    for (const request of [
      { Name: "upd-nowrite", Content: commandContent("1") },
      { Name: "upd-nowrite", Content: commandContent("2"), VersionName: "one" },
      { Name: "upd-nowrite", Content: commandContent("2"), DocumentVersion: "7" },
      { Name: "upd-nowrite", Content: "" },
    ]) {
      expect((await invoke("UpdateDocument", request)).status).toBe(400);
    }
    expect(await table.items()).toEqual(before);
  });

  it("lets exactly one of many concurrent updates of the same version win", async () => {
    await call("CreateDocument", { Name: "upd-race", Content: commandContent("0") });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        invoke("UpdateDocument", { Name: "upd-race", Content: commandContent(`r${i}`), DocumentVersion: "1" }),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    const losers = answers.filter((answer) => answer.status !== 200).map((answer) => answer.body.__type);
    expect(winners).toHaveLength(1);
    // A loser either lost the write race or read the head after the winner moved the latest version.
    for (const type of losers) expect(["TooManyUpdates", "InvalidDocumentVersion"]).toContain(type);
    const versions = await call("ListDocumentVersions", { Name: "upd-race" });
    expect(versions.DocumentVersions).toHaveLength(2);
  });
});

describe("UpdateDocumentDefaultVersion", () => {
  it("moves the default version and reports its name", async () => {
    await call("CreateDocument", { Name: "dflt", Content: commandContent("1") });
    await call("UpdateDocument", { Name: "dflt", Content: commandContent("2"), VersionName: "two" });
    expect(await call("UpdateDocumentDefaultVersion", { Name: "dflt", DocumentVersion: "2" })).toEqual({
      Description: { Name: "dflt", DefaultVersion: "2", DefaultVersionName: "two" },
    });
    const { Document: d } = await call("DescribeDocument", { Name: "dflt" });
    expect(d).toMatchObject({ DocumentVersion: "2", DefaultVersion: "2", Description: "Says 2" });
    const listed = await call("ListDocuments", { Filters: [{ Key: "Name", Values: ["dflt"] }] });
    expect(listed.DocumentIdentifiers[0]).toMatchObject({ DocumentVersion: "2", VersionName: "two" });
  });

  it("refuses a missing version, a missing document, and a non-numeric version", async () => {
    await call("CreateDocument", { Name: "dflt-bad", Content: commandContent("1") });
    expect((await fails("UpdateDocumentDefaultVersion", { Name: "dflt-bad", DocumentVersion: "5" })).type).toBe(
      "InvalidDocumentVersion",
    );
    expect((await fails("UpdateDocumentDefaultVersion", { Name: "dflt-none", DocumentVersion: "1" })).type).toBe(
      "InvalidDocument",
    );
    expect(await fails("UpdateDocumentDefaultVersion", { Name: "dflt-bad", DocumentVersion: "$LATEST" })).toMatchObject(
      {
        type: "ValidationException",
        message: expect.stringContaining(
          "at 'documentVersion' failed to satisfy constraint: Member must satisfy regular expression pattern",
        ),
      },
    );
  });
});
