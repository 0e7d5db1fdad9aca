import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/store/keys.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const scope = { accountId: "000000000000", region: "us-east-1" };

beforeAll(async () => {
  table = await freshTable();
});

async function createWithVersions(name: string, versions: number): Promise<void> {
  await call("CreateDocument", { Name: name, Content: commandContent("1"), VersionName: `${name}-1` });
  for (let v = 2; v <= versions; v++) {
    await call("UpdateDocument", { Name: name, Content: commandContent(String(v)), VersionName: `${name}-${v}` });
  }
}

const itemsOf = async (name: string) => (await table.items()).filter((item) => String(item.PK).endsWith(`#${name}`));

describe("DeleteDocument", () => {
  it("deletes a whole document with every version, and frees its name", async () => {
    await createWithVersions("del-all", 3);
    expect(await call("DeleteDocument", { Name: "del-all" })).toEqual({});
    expect(await itemsOf("del-all")).toEqual([]);
    expect((await fails("DescribeDocument", { Name: "del-all" })).type).toBe("InvalidDocument");
    await call("CreateDocument", { Name: "del-all", Content: commandContent("1") });
    expect((await call("DescribeDocument", { Name: "del-all" })).Document.LatestVersion).toBe("1");
  });

  it("deletes one version by number or by version name, but never the default", async () => {
    await createWithVersions("del-one", 3);
    await call("DeleteDocument", { Name: "del-one", DocumentVersion: "2" });
    await fails("DescribeDocument", { Name: "del-one", DocumentVersion: "2" }).then((f) =>
      expect(f.type).toBe("InvalidDocumentVersion"),
    );
    // The deleted version's name and content may be used again.
    const reused = await call("UpdateDocument", {
      Name: "del-one",
      Content: commandContent("2"),
      VersionName: "del-one-2",
    });
    expect(reused.DocumentDescription.DocumentVersion).toBe("4");
    await call("DeleteDocument", { Name: "del-one", VersionName: "del-one-3" });
    expect(await fails("DeleteDocument", { Name: "del-one", DocumentVersion: "1" })).toMatchObject({
      status: 400,
      type: "InvalidDocumentOperation",
    });
    expect(await fails("DeleteDocument", { Name: "del-one", DocumentVersion: "$DEFAULT" })).toMatchObject({
      type: "InvalidDocumentOperation",
    });
    const versions = await call("ListDocumentVersions", { Name: "del-one" });
    expect(versions.DocumentVersions.map((v: { DocumentVersion: string }) => v.DocumentVersion)).toEqual(["1", "4"]);
  });

  it("moves the latest version back when the latest is deleted, and never reuses its number", async () => {
    await createWithVersions("del-latest", 3);
    await call("DeleteDocument", { Name: "del-latest", DocumentVersion: "$LATEST" });
    expect((await call("DescribeDocument", { Name: "del-latest" })).Document.LatestVersion).toBe("2");
    const next = await call("UpdateDocument", { Name: "del-latest", Content: commandContent("new") });
    expect(next.DocumentDescription.DocumentVersion).toBe("4");
  });

  // DeleteDocument's model lists InvalidDocument and not InvalidDocumentVersion (issue 15, item 5).
  it("answers InvalidDocument for a missing document and for a missing version", async () => {
    expect(await fails("DeleteDocument", { Name: "del-missing" })).toEqual({
      status: 400,
      type: "InvalidDocument",
      message: "Document with name del-missing does not exist.",
    });
    await createWithVersions("del-ver", 1);
    expect((await fails("DeleteDocument", { Name: "del-ver", DocumentVersion: "7" })).type).toBe("InvalidDocument");
  });

  it("refuses to delete AWS-owned documents", async () => {
    expect((await fails("DeleteDocument", { Name: "AWS-RunShellScript" })).type).toBe("InvalidDocumentOperation");
  });

  it("refuses to delete a document that associations still name (AssociatedInstances), writing nothing", async () => {
    await createWithVersions("del-guarded", 2);
    // An association holds a reference on the document head; the guard is the delete's own condition.
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.document(scope, "del-guarded"),
        UpdateExpression: "SET AssociationCount = :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );
    const before = await table.items();
    expect(await fails("DeleteDocument", { Name: "del-guarded" })).toMatchObject({
      status: 400,
      type: "AssociatedInstances",
    });
    expect(await table.items()).toEqual(before);
  });

  it("frees a slot of the account's document limit", async () => {
    const counter = async () => (await table.items()).find((item) => item.SK === "COUNTER#Documents")?.Count as number;
    await createWithVersions("del-count", 1);
    const before = await counter();
    await call("DeleteDocument", { Name: "del-count" });
    expect(await counter()).toBe(before - 1);
  });

  it("lets concurrent deletes remove the document once, counting it once", async () => {
    await createWithVersions("del-race", 2);
    const counter = async () => (await table.items()).find((item) => item.SK === "COUNTER#Documents")?.Count as number;
    const before = await counter();
    const answers = await Promise.all(Array.from({ length: 5 }, () => invoke("DeleteDocument", { Name: "del-race" })));
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.body.__type).toBe("InvalidDocument");
    expect(await itemsOf("del-race")).toEqual([]);
    expect(await counter()).toBe(before - 1);
  });
});
