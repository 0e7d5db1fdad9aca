import { beforeAll, describe, expect, it } from "vitest";
import { AWS_OWNED_REQUIRED, automationContent, commandContent, yamlCommandContent } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

type Identifier = { Name: string; Owner: string; DocumentType: string; PlatformTypes: string[] };

/** Follows NextToken to the end, the way the CLI and SDK paginators do. */
async function listAll(request: Record<string, unknown>): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await call("ListDocuments", { ...request, NextToken: token });
    names.push(...page.DocumentIdentifiers.map((d: Identifier) => d.Name));
    token = page.NextToken;
    pages++;
  } while (token);
  return { names, pages };
}

beforeAll(async () => {
  await freshTable();
  for (const name of ["list-a", "list-b", "list-c", "other-d", "other-e"]) {
    await call("CreateDocument", {
      Name: name,
      Content: commandContent(name),
      Tags: [{ Key: "group", Value: name.slice(0, 4) }],
    });
  }
  await call("CreateDocument", { Name: "list-auto", Content: automationContent, DocumentType: "Automation" });
  await call("CreateDocument", {
    Name: "list-windows",
    Content: yamlCommandContent,
    DocumentFormat: "YAML",
    TargetType: "/AWS::EC2::Instance",
  });
});

describe("ListDocuments", () => {
  it("lists the account's own documents with Owner=Self, in name order", async () => {
    const { names } = await listAll({ Filters: [{ Key: "Owner", Values: ["Self"] }] });
    expect(names).toEqual(["list-a", "list-auto", "list-b", "list-c", "list-windows", "other-d", "other-e"]);
  });

  it("lists AWS-owned documents with Owner=Amazon, and only those", async () => {
    const page = await call("ListDocuments", { Filters: [{ Key: "Owner", Values: ["Amazon"] }] });
    const names = page.DocumentIdentifiers.map((d: Identifier) => d.Name);
    expect(names).toEqual(expect.arrayContaining(AWS_OWNED_REQUIRED));
    for (const d of page.DocumentIdentifiers as Identifier[]) expect(d.Owner).toBe("Amazon");
  });

  it("lists both without an Owner filter, merged in name order", async () => {
    const { names } = await listAll({ MaxResults: 4 });
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining([...AWS_OWNED_REQUIRED, "list-a", "other-e"]));
    expect(new Set(names).size).toBe(names.length);
  });

  it("pages with MaxResults and NextToken without losing or repeating a document", async () => {
    const { names, pages } = await listAll({ Filters: [{ Key: "Owner", Values: ["Self"] }], MaxResults: 2 });
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    expect(pages).toBe(4);
  });

  it("filters by name prefix, document type, platform, target type and tag", async () => {
    const names = async (Filters: unknown) => (await listAll({ Filters })).names;
    expect(
      await names([
        { Key: "Name", Values: ["list-"] },
        { Key: "Owner", Values: ["Self"] },
      ]),
    ).toEqual(["list-a", "list-auto", "list-b", "list-c", "list-windows"]);
    expect(await names([{ Key: "DocumentType", Values: ["Automation"] }])).toEqual(["list-auto"]);
    expect(
      await names([
        { Key: "PlatformTypes", Values: ["Windows"] },
        { Key: "Owner", Values: ["Self"] },
      ]),
    ).toEqual(["list-auto", "list-windows"]);
    expect(await names([{ Key: "TargetType", Values: ["/AWS::EC2::Instance"] }])).toEqual(["list-windows"]);
    expect(await names([{ Key: "tag:group", Values: ["othe"] }])).toEqual(["other-d", "other-e"]);
    expect(await names([{ Key: "tag:group", Values: ["list", "othe"] }])).toHaveLength(5);
  });

  it("supports the deprecated DocumentFilterList", async () => {
    const { names } = await listAll({
      DocumentFilterList: [
        { key: "Owner", value: "Self" },
        { key: "DocumentType", value: "Automation" },
      ],
    });
    expect(names).toEqual(["list-auto"]);
  });

  it("reports each document's default version summary", async () => {
    const page = await call("ListDocuments", { Filters: [{ Key: "Name", Values: ["list-windows"] }] });
    expect(page.DocumentIdentifiers).toEqual([
      expect.objectContaining({
        Name: "list-windows",
        Owner: "000000000000",
        DocumentVersion: "1",
        DocumentType: "Command",
        SchemaVersion: "2.2",
        DocumentFormat: "YAML",
        TargetType: "/AWS::EC2::Instance",
        PlatformTypes: ["Windows", "Linux"],
        Tags: [],
      }),
    ]);
  });

  it("refuses unknown filter keys, bad tokens, and out-of-range page sizes", async () => {
    expect(await fails("ListDocuments", { Filters: [{ Key: "Colour", Values: ["red"] }] })).toMatchObject({
      status: 400,
      type: "InvalidFilterKey",
    });
    expect(await fails("ListDocuments", { NextToken: "not-a-token" })).toEqual({
      status: 400,
      type: "InvalidNextToken",
      message: "The specified token isn't valid.",
    });
    expect(await fails("ListDocuments", { MaxResults: 51 })).toEqual({
      status: 400,
      type: "ValidationException",
      message:
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    });
    expect(
      (
        await fails("ListDocuments", {
          Filters: [{ Key: "Owner", Values: ["Self"] }],
          DocumentFilterList: [{ key: "Owner", value: "Self" }],
        })
      ).type,
    ).toBe("ValidationException");
  });
});

describe("ListDocumentVersions", () => {
  it("lists versions oldest first, marking the default, across pages", async () => {
    await call("CreateDocument", { Name: "versions", Content: commandContent("1") });
    for (let v = 2; v <= 5; v++) await call("UpdateDocument", { Name: "versions", Content: commandContent(String(v)) });
    await call("UpdateDocumentDefaultVersion", { Name: "versions", DocumentVersion: "3" });
    const all: { DocumentVersion: string; IsDefaultVersion: boolean }[] = [];
    let token: string | undefined;
    do {
      const page = await call("ListDocumentVersions", { Name: "versions", MaxResults: 2, NextToken: token });
      expect(page.DocumentVersions.length).toBeLessThanOrEqual(2);
      all.push(...page.DocumentVersions);
      token = page.NextToken;
    } while (token);
    expect(all.map((v) => v.DocumentVersion)).toEqual(["1", "2", "3", "4", "5"]);
    expect(all.filter((v) => v.IsDefaultVersion).map((v) => v.DocumentVersion)).toEqual(["3"]);
    expect(all[0]).toMatchObject({ Name: "versions", DocumentFormat: "JSON", Status: "Active" });
  });

  it("lists an AWS-owned document's version", async () => {
    const page = await call("ListDocumentVersions", { Name: "AWS-RunShellScript" });
    expect(page.DocumentVersions).toEqual([
      expect.objectContaining({ Name: "AWS-RunShellScript", IsDefaultVersion: true }),
    ]);
  });

  it("answers InvalidDocument and InvalidNextToken", async () => {
    expect((await fails("ListDocumentVersions", { Name: "no-such-doc" })).type).toBe("InvalidDocument");
    expect((await fails("ListDocumentVersions", { Name: "versions", NextToken: "garbage" })).type).toBe(
      "InvalidNextToken",
    );
  });
});
