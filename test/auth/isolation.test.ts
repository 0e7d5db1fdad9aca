/**
 * Two accounts, two regions: each of the four sees, and can touch, only its own documents, even
 * when it knows the other's names and ARNs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { commandContent } from "../support/fixtures.ts";
import type { Identity } from "../support/identity.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
type Tenant = { accountId: string; region: string; identity: Identity };
const tenants: Tenant[] = [];

beforeAll(async () => {
  table = await freshTable();
  for (const accountId of ["111111111111", "222222222222"]) {
    await table.accounts.createAccount(accountId);
    const key = await table.accounts.createAccessKey(accountId);
    for (const region of ["us-east-1", "eu-west-1"]) {
      tenants.push({
        accountId,
        region,
        identity: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region },
      });
    }
  }
  // Every tenant creates a document of the same name, with its own content.
  for (const tenant of tenants) {
    const options = { identity: tenant.identity };
    await call(
      "CreateDocument",
      { Name: "shared-name", Content: commandContent(`${tenant.accountId}-${tenant.region}`) },
      options,
    );
    await call(
      "CreateDocument",
      { Name: `only-${tenant.accountId}-${tenant.region}`, Content: commandContent() },
      options,
    );
  }
});

describe("isolation by account and region", () => {
  it("each tenant reads its own document under a shared name, with itself as Owner", async () => {
    for (const tenant of tenants) {
      const { Document } = await call("DescribeDocument", { Name: "shared-name" }, { identity: tenant.identity });
      expect(Document.Owner).toBe(tenant.accountId);
      expect(Document.Description).toBe(`Says ${tenant.accountId}-${tenant.region}`);
    }
  });

  it("each tenant lists only its own documents", async () => {
    for (const tenant of tenants) {
      const page = await call(
        "ListDocuments",
        { Filters: [{ Key: "Owner", Values: ["Self"] }] },
        { identity: tenant.identity },
      );
      expect(page.DocumentIdentifiers.map((d: { Name: string }) => d.Name).sort()).toEqual(
        [`only-${tenant.accountId}-${tenant.region}`, "shared-name"].sort(),
      );
    }
  });

  it("no tenant can read, change, tag or delete another's document, by name or by ARN", async () => {
    const before = await table.items();
    for (const tenant of tenants) {
      const options = { identity: tenant.identity };
      for (const other of tenants.filter((t) => t !== tenant)) {
        const name = `only-${other.accountId}-${other.region}`;
        const arn = `arn:aws:ssm:${other.region}:${other.accountId}:document/${name}`;
        expect((await fails("DescribeDocument", { Name: name }, options)).type).toBe("InvalidDocument");
        expect((await fails("GetDocument", { Name: arn }, options)).type).toBe("InvalidDocument");
        expect((await fails("UpdateDocument", { Name: name, Content: commandContent("x") }, options)).type).toBe(
          "InvalidDocument",
        );
        expect((await fails("UpdateDocumentDefaultVersion", { Name: name, DocumentVersion: "1" }, options)).type).toBe(
          "InvalidDocument",
        );
        expect((await fails("ListDocumentVersions", { Name: name }, options)).type).toBe("InvalidDocument");
        expect((await fails("DeleteDocument", { Name: name }, options)).type).toBe("InvalidDocument");
        expect(
          (
            await fails(
              "AddTagsToResource",
              { ResourceType: "Document", ResourceId: name, Tags: [{ Key: "a", Value: "b" }] },
              options,
            )
          ).type,
        ).toBe("InvalidResourceId");
      }
    }
    expect(await table.items()).toEqual(before);
  });

  it("takes the account from the credential, whatever the body says", async () => {
    const [first] = tenants as [Tenant];
    const answer = await invoke(
      "CreateDocument",
      { Name: "claims-other", Content: commandContent(), Owner: "222222222222", AccountId: "222222222222" },
      { identity: first.identity },
    );
    expect(answer.status).toBe(200);
    expect((answer.body.DocumentDescription as { Owner: string }).Owner).toBe("111111111111");
  });
});
