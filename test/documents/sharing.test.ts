/**
 * Sharing documents between accounts, through the real handlers. Sources:
 * - API reference: ModifyDocumentPermission (Share only; account ids or All; AccountIdsToRemove
 *   wins over AccountIdsToAdd; SharedDocumentVersion, default $DEFAULT), DescribeDocumentPermission
 *   (its sample: an unshared document answers empty lists), DocumentPermissionLimit ("a maximum
 *   of 20 accounts per API operation ... a maximum of 1,000 accounts and publicly share up to five
 *   documents"), InvalidDocumentOperation ("You attempted to delete a document while it is still
 *   shared. You must stop sharing the document before you can delete it."), CreateAssociation.Name
 *   and DescribeDocument.Name (a shared document is named by its full ARN).
 * - User guide, documents-ssm-sharing: "You must stop sharing a document before you can delete it";
 *   `Owner=Private` lists "private SSM documents that have been shared with you", `Owner=Public`
 *   "all public SSM documents".
 * - awscli/examples/ssm/list-documents.rst example 2: a shared document is listed with its plain
 *   Name, the owner's account id as Owner, and "Tags": [].
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_RECORD, isAuditRecord } from "../support/call-meter.ts";
import { commandContent } from "../support/fixtures.ts";
import type { Identity } from "../support/identity.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const identities: Record<string, Identity> = {};
const as = (account: string) => ({ identity: identities[account] });
const arn = (name: string, owner = A) => `arn:aws:ssm:us-east-1:${owner}:document/${name}`;
const NODE_B = "i-0bbbbbbbbbbbbbbb2";

const share = (Name: string, request: Record<string, unknown>, owner = A) =>
  invoke("ModifyDocumentPermission", { Name, PermissionType: "Share", ...request }, as(owner));
const permissions = async (Name: string, owner = A) =>
  call("DescribeDocumentPermission", { Name, PermissionType: "Share" }, as(owner));
const names = async (account: string, owner?: string) =>
  (
    await call(
      "ListDocuments",
      owner ? { Filters: [{ Key: "Owner", Values: [owner] }], MaxResults: 50 } : { MaxResults: 50 },
      as(account),
    )
  ).DocumentIdentifiers.filter((d: { Owner: string }) => d.Owner !== "Amazon").map(
    (d: { Name: string; Owner: string }) => `${d.Owner}:${d.Name}`,
  );

beforeAll(async () => {
  table = await freshTable();
  for (const account of [A, B, C]) {
    await table.accounts.createAccount(account);
    const key = await table.accounts.createAccessKey(account);
    identities[account] = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: "us-east-1" };
  }
  for (const name of ["example", "second", "unshared"]) {
    await call(
      "CreateDocument",
      { Name: name, Content: commandContent(name), Tags: [{ Key: "team", Value: "a" }] },
      as(A),
    );
  }
  await call("CreateDocument", { Name: "b-own", Content: commandContent("b") }, as(B));
  await call("UpdateInstanceInformation", { InstanceId: NODE_B, PlatformType: "Linux" }, as(B));
});

describe("DescribeDocument, GetDocument, CreateAssociation by ARN before ModifyDocumentPermission shares", () => {
  it("another account can't resolve the ARN (InvalidDocument), and the owner sees empty permission lists", async () => {
    for (const operation of ["DescribeDocument", "GetDocument"]) {
      expect((await fails(operation, { Name: arn("example") }, as(B))).type).toBe("InvalidDocument");
    }
    expect(
      (
        await fails(
          "CreateAssociation",
          { Name: arn("example"), Targets: [{ Key: "InstanceIds", Values: [NODE_B] }] },
          as(B),
        )
      ).type,
    ).toBe("InvalidDocument");
    expect(await permissions("example")).toEqual({ AccountIds: [], AccountSharingInfoList: [] });
  });
});

describe("ModifyDocumentPermission and DescribeDocumentPermission", () => {
  it("shares with an account: $DEFAULT unless a version is named; the answer is empty", async () => {
    const answer = await share("example", { AccountIdsToAdd: [B] });
    expect(answer).toMatchObject({ status: 200, body: {} });
    expect(await permissions("example")).toEqual({
      AccountIds: [B],
      AccountSharingInfoList: [{ AccountId: B, SharedDocumentVersion: "$DEFAULT" }],
    });
    expect((await share("second", { AccountIdsToAdd: [B, C], SharedDocumentVersion: "$LATEST" })).status).toBe(200);
    expect(await permissions("second")).toEqual({
      AccountIds: [B, C],
      AccountSharingInfoList: [
        { AccountId: B, SharedDocumentVersion: "$LATEST" },
        { AccountId: C, SharedDocumentVersion: "$LATEST" },
      ],
    });
  });

  it("AccountIdsToRemove wins over AccountIdsToAdd for the same account", async () => {
    await share("second", { AccountIdsToAdd: [C], AccountIdsToRemove: [C] });
    expect((await permissions("second")).AccountIds).toEqual([B]);
  });

  it("refuses what isn't the caller's own document (InvalidDocument), and more than 20 accounts per call", async () => {
    expect((await share("example", { AccountIdsToAdd: [C] }, B)).body.__type).toBe("InvalidDocument");
    expect((await share("AWS-RunShellScript", { AccountIdsToAdd: [B] })).body.__type).toBe("InvalidDocument");
    expect((await share("no-such-doc", { AccountIdsToAdd: [B] })).body.__type).toBe("InvalidDocument");
    expect((await fails("DescribeDocumentPermission", { Name: "example", PermissionType: "Share" }, as(B))).type).toBe(
      "InvalidDocument",
    );
    // AccountIdList has at most 20 members in the model: the generated validation refuses more.
    const many = Array.from({ length: 21 }, (_, i) => String(400000000000 + i));
    expect((await share("example", { AccountIdsToAdd: many })).body.__type).toBe("ValidationException");
  });
});

describe("DescribeDocument, GetDocument, ListDocuments, CreateAssociation and DeleteDocument on a shared document", () => {
  it("DescribeDocument and GetDocument by the owner's ARN", async () => {
    const { Document } = await call("DescribeDocument", { Name: arn("example") }, as(B));
    expect(Document).toMatchObject({ Name: "example", Owner: A, DocumentVersion: "1", Description: "Says example" });
    const got = await call("GetDocument", { Name: arn("example") }, as(B));
    expect(got).toMatchObject({ Name: "example", DocumentVersion: "1", Content: commandContent("example") });
    // Not shared with C.
    expect((await fails("DescribeDocument", { Name: arn("example") }, as(C))).type).toBe("InvalidDocument");
    // The plain name still means the caller's own document.
    expect((await fails("DescribeDocument", { Name: "example" }, as(B))).type).toBe("InvalidDocument");
  });

  it("ListDocuments: Private = shared with me (plain Name, owner's id, no tags), Self = mine, none = all I can use", async () => {
    expect(await names(B, "Private")).toEqual([`${A}:example`, `${A}:second`]);
    expect(await names(B, "Self")).toEqual([`${B}:b-own`]);
    expect(await names(B)).toEqual([`${B}:b-own`, `${A}:example`, `${A}:second`]);
    expect(await names(A, "Private")).toEqual([]);
    // Page by page (MaxResults 1), the same documents in the same order, each once.
    const paged: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call("ListDocuments", { MaxResults: 1, NextToken }, as(B));
      paged.push(...page.DocumentIdentifiers.map((d: { Name: string; Owner: string }) => `${d.Owner}:${d.Name}`));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(paged.filter((entry) => !entry.startsWith("Amazon:"))).toEqual(await names(B));
    const shared = await call("ListDocuments", { Filters: [{ Key: "Owner", Values: ["Private"] }] }, as(B));
    expect(shared.DocumentIdentifiers[0]).toMatchObject({
      Name: "example",
      Owner: A,
      DocumentType: "Command",
      Tags: [],
    });
    // Other filters apply to shared documents too.
    expect(
      (
        await call(
          "ListDocuments",
          {
            Filters: [
              { Key: "Owner", Values: ["Private"] },
              { Key: "Name", Values: ["sec"] },
            ],
          },
          as(B),
        )
      ).DocumentIdentifiers.map((d: { Name: string }) => d.Name),
    ).toEqual(["second"]);
  });

  it("CreateAssociation by ARN holds a reference the owner's DeleteDocument respects", async () => {
    const { AssociationDescription: association } = await call(
      "CreateAssociation",
      { Name: arn("example"), Targets: [{ Key: "InstanceIds", Values: [NODE_B] }] },
      as(B),
    );
    expect(association).toMatchObject({ Name: arn("example"), DocumentVersion: "$DEFAULT" });
    // Shared: the delete is refused as AWS documents it, and nothing changes.
    const before = await table.items();
    expect(await fails("DeleteDocument", { Name: "example" }, as(A))).toEqual({
      status: 400,
      type: "InvalidDocumentOperation",
      message:
        "You attempted to delete a document while it is still shared. You must stop sharing the document before you can delete it.",
    });
    expect(await table.items()).toEqual(before);
    // Unshared: the ARN stops resolving in B, and B's association still guards the document.
    await share("example", { AccountIdsToRemove: [B] });
    expect((await fails("DescribeDocument", { Name: arn("example") }, as(B))).type).toBe("InvalidDocument");
    expect((await fails("DeleteDocument", { Name: "example" }, as(A))).type).toBe("AssociatedInstances");
    await call("DeleteAssociation", { AssociationId: association.AssociationId }, as(B));
    expect((await invoke("DeleteDocument", { Name: "example" }, as(A))).status).toBe(200);
    expect((await fails("DescribeDocument", { Name: arn("example") }, as(B))).type).toBe("InvalidDocument");
  });
});

describe("ModifyDocumentPermission SharedDocumentVersion, seen through GetDocument and ListDocumentVersions", () => {
  it("$DEFAULT shows the default version only, $LATEST the latest, $ALL every version", async () => {
    await call("CreateDocument", { Name: "versioned", Content: commandContent("v1") }, as(A));
    await call(
      "UpdateDocument",
      { Name: "versioned", Content: commandContent("v2"), DocumentVersion: "$LATEST" },
      as(A),
    );
    const seen = async () => ({
      none: (await call("GetDocument", { Name: arn("versioned") }, as(B))).DocumentVersion,
      v1: (await invoke("GetDocument", { Name: arn("versioned"), DocumentVersion: "1" }, as(B))).status,
      v2: (await invoke("GetDocument", { Name: arn("versioned"), DocumentVersion: "2" }, as(B))).status,
      listed: (await call("ListDocumentVersions", { Name: arn("versioned") }, as(B))).DocumentVersions.map(
        (v: { DocumentVersion: string }) => v.DocumentVersion,
      ),
    });
    await share("versioned", { AccountIdsToAdd: [B] });
    expect(await seen()).toEqual({ none: "1", v1: 200, v2: 400, listed: ["1"] });
    await share("versioned", { AccountIdsToAdd: [B], SharedDocumentVersion: "$LATEST" });
    expect(await seen()).toEqual({ none: "2", v1: 400, v2: 200, listed: ["2"] });
    await share("versioned", { AccountIdsToAdd: [B], SharedDocumentVersion: "$ALL" });
    expect(await seen()).toEqual({ none: "1", v1: 200, v2: 200, listed: ["1", "2"] });
    expect((await fails("GetDocument", { Name: arn("versioned"), DocumentVersion: "1" }, as(C))).type).toBe(
      "InvalidDocument",
    );
    await share("versioned", { AccountIdsToRemove: [B] });
  });
});

describe("ModifyDocumentPermission with All (public sharing)", () => {
  it("All (any case) is kept as `all`; Owner=Public lists it for everyone; anyone resolves its ARN", async () => {
    await call("CreateDocument", { Name: "public-doc", Content: commandContent("public") }, as(A));
    expect((await share("public-doc", { AccountIdsToAdd: ["ALL"] })).status).toBe(200);
    expect(await permissions("public-doc")).toEqual({
      AccountIds: ["all"],
      AccountSharingInfoList: [{ AccountId: "all", SharedDocumentVersion: "$DEFAULT" }],
    });
    expect(await names(C, "Public")).toEqual(expect.arrayContaining([`${A}:public-doc`]));
    expect(await names(C, "Private")).toEqual([]);
    expect((await call("DescribeDocument", { Name: arn("public-doc") }, as(C))).Document.Owner).toBe(A);
  });

  it("at most five publicly shared documents per account (DocumentPermissionLimit), writing nothing", async () => {
    for (let i = 2; i <= 5; i++) {
      await call("CreateDocument", { Name: `public-${i}`, Content: commandContent(`p${i}`) }, as(A));
      expect((await share(`public-${i}`, { AccountIdsToAdd: ["All"] })).status).toBe(200);
    }
    await call("CreateDocument", { Name: "public-6", Content: commandContent("p6") }, as(A));
    const before = await table.items();
    const refused = await share("public-6", { AccountIdsToAdd: ["All"] });
    expect(refused.body.__type).toBe("DocumentPermissionLimit");
    expect(await table.items()).toEqual(before);
    // Unsharing one frees its place.
    await share("public-5", { AccountIdsToRemove: ["all"] });
    expect((await share("public-6", { AccountIdsToAdd: ["All"] })).status).toBe(200);
  });
});

describe("ModifyDocumentPermission limits, and DescribeDocumentPermission pages", () => {
  it("at most 1,000 accounts per document (DocumentPermissionLimit), writing nothing", async () => {
    await call("CreateDocument", { Name: "widely-shared", Content: commandContent("wide") }, as(A));
    for (let call = 0; call < 50; call++) {
      const ids = Array.from({ length: 20 }, (_, i) => String(500000000000 + call * 20 + i));
      expect((await share("widely-shared", { AccountIdsToAdd: ids })).status).toBe(200);
    }
    // Adding an account already there isn't one more.
    expect((await share("widely-shared", { AccountIdsToAdd: ["500000000000"] })).status).toBe(200);
    const before = await table.items();
    expect((await share("widely-shared", { AccountIdsToAdd: [C] })).body.__type).toBe("DocumentPermissionLimit");
    expect(await table.items()).toEqual(before);
    // DescribeDocumentPermission pages them (MaxResults up to 200), each account once.
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call(
        "DescribeDocumentPermission",
        { Name: "widely-shared", PermissionType: "Share", MaxResults: 200, NextToken },
        as(A),
      );
      expect(page.AccountIds.length).toBeLessThanOrEqual(200);
      seen.push(...page.AccountIds);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    // Removing and adding in one call stays within the limit.
    expect((await share("widely-shared", { AccountIdsToAdd: [C], AccountIdsToRemove: ["500000000000"] })).status).toBe(
      200,
    );
  });
});

describe("CreateAssociation by ARN racing ModifyDocumentPermission and DeleteDocument", () => {
  it("an association created in B while A unshares and deletes: never an association on a deleted document", async () => {
    for (let round = 0; round < 4; round++) {
      const name = `race-${round}`;
      await call("CreateDocument", { Name: name, Content: commandContent(name) }, as(A));
      await share(name, { AccountIdsToAdd: [B] });
      const [created, deleted] = await Promise.all([
        invoke("CreateAssociation", { Name: arn(name), Targets: [{ Key: "InstanceIds", Values: [NODE_B] }] }, as(B)),
        (async () => {
          await share(name, { AccountIdsToRemove: [B] });
          return invoke("DeleteDocument", { Name: name }, as(A));
        })(),
      ]);
      // Exactly one of them wins: the association (and the delete is refused), or the delete.
      expect([created.status, deleted.status].filter((status) => status === 200)).toHaveLength(1);
      if (created.status === 200) expect(deleted.body.__type).toBe("AssociatedInstances");
      else expect(created.body.__type).toBe("InvalidDocument");
    }
  });
});

describe("DynamoDB calls of ModifyDocumentPermission, DescribeDocument by ARN, DescribeDocumentPermission", () => {
  it("ModifyDocumentPermission: head, the named shares (one batch), one transaction; a shared document by ARN: one batch with its default version", async () => {
    const calls: string[] = [];
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(isAuditRecord(args.input) ? AUDIT_RECORD : String(context.commandName));
        return next(args);
      },
      { step: "initialize", name: "countSharingCalls" },
    );
    await call("CreateDocument", { Name: "counted", Content: commandContent("counted") }, as(A));
    await call("ListDocuments", { MaxResults: 1 }, as(B)); // warms B's credential cache
    calls.length = 0;
    await call("ModifyDocumentPermission", { Name: "counted", PermissionType: "Share", AccountIdsToAdd: [B] }, as(A));
    // Its own calls, then its audit record (a write: docs/dynamodb-calls.md).
    expect(calls).toEqual(["GetItemCommand", "BatchGetItemCommand", "TransactWriteItemsCommand", AUDIT_RECORD]);
    calls.length = 0;
    await call("DescribeDocument", { Name: arn("counted") }, as(B));
    expect(calls).toEqual(["BatchGetItemCommand"]);
    calls.length = 0;
    await call("DescribeDocumentPermission", { Name: "counted", PermissionType: "Share" }, as(A));
    expect(calls).toEqual(["GetItemCommand", "QueryCommand"]);
    table.db.middlewareStack.remove("countSharingCalls");
  });
});
