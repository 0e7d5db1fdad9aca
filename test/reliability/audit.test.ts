/**
 * The audit itself can fail: a consistent table passes, and each kind of damage a crash could
 * leave (a lost version, a counter off by one, a reference count off, a legacy pair item without
 * its association, versions without their head, an association missing from the index) is named.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/store/keys.ts";
import { commandContent } from "../support/fixtures.ts";
import { call } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";
import { audit } from "./audit.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const scope = { accountId: "000000000000", region: "us-east-1" };
let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "audited", Content: commandContent("one") });
  await call("UpdateDocument", { Name: "audited", Content: commandContent("two"), DocumentVersion: "$LATEST" });
  const legacy = (runtimeConfig: string) =>
    JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { [runtimeConfig]: { properties: [] } } });
  await call("UpdateDocument", { Name: "audited", Content: legacy("aws:runShellScript"), DocumentVersion: "$LATEST" });
  await call("UpdateDocumentDefaultVersion", { Name: "audited", DocumentVersion: "3" });
  await call("CreateAssociation", { Name: "audited", InstanceId: NODE });
  await call("CreateAssociation", { Name: "audited", Targets: [{ Key: "InstanceIds", Values: [NODE] }] });
  await call("PutParameter", { Name: "p", Value: "v", Type: "String" });
});

describe("the audit", () => {
  it("names a node's tag missing from the node tag index, and an index item that names no tag (issue 30)", async () => {
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: NODE,
      Tags: [{ Key: "team", Value: "blue" }],
    });
    expect((await audit(table.db, table.name)).violations).toEqual([]);
    const indexed = keys.nodeTag(scope, "team", NODE);
    await table.db.send(new DeleteCommand({ TableName: table.name, Key: indexed }));
    expect((await audit(table.db, table.name)).violations).toEqual([
      `node ${NODE}'s tag team=blue is not in the node tag index as it is`,
    ]);
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...keys.nodeTag(scope, "gone", NODE), Type: "NodeTag", TagKey: "gone" },
      }),
    );
    expect((await audit(table.db, table.name)).violations).toContainEqual(
      `node tag index item ${keys.nodeTag(scope, "gone", NODE).PK} ${NODE} names no tag of a node`,
    );
    // Put back as the handlers leave them, for the next tests.
    await table.db.send(new DeleteCommand({ TableName: table.name, Key: keys.nodeTag(scope, "gone", NODE) }));
    await call("RemoveTagsFromResource", { ResourceType: "ManagedInstance", ResourceId: NODE, TagKeys: ["team"] });
    expect((await audit(table.db, table.name)).violations).toEqual([]);
  });

  it("finds nothing wrong in a table written only by the handlers", async () => {
    const result = await audit(table.db, table.name);
    expect(result.violations).toEqual([]);
    expect(result.items.Association).toBe(2);
  });

  it("names a legacy pair whose copy is not its head, and a copied run target that is not the run's", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: NODE,
    });
    expect((await audit(table.db, table.name)).violations).toEqual([]);
    const head = keys.association(scope, AssociationDescription.AssociationId);
    // The head changed without its copy; the head's RunTarget says Failed, its run's target Pending.
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: head,
        UpdateExpression: "SET AssociationName = :name, RunTarget.#status = :failed",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: { ":name": "drifted", ":failed": "Failed" },
      }),
    );
    const { violations } = await audit(table.db, table.name);
    expect(violations.some((line) => /legacy pair's copy differs in .*AssociationName/.test(line))).toBe(true);
    expect(violations.some((line) => /RunTarget .* is not its run's target/.test(line))).toBe(true);
    // Put back as the handlers left them, for the next test.
    await call("DeleteAssociation", { AssociationId: AssociationDescription.AssociationId }).catch(() => undefined);
  });

  it("names every kind of damage a crash could leave", async () => {
    const send = (command: DeleteCommand | UpdateCommand) => table.db.send(command);
    await send(new DeleteCommand({ TableName: table.name, Key: keys.documentVersion(scope, "audited", 1) }));
    await send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.counter(scope, "Associations"),
        UpdateExpression: "SET #c = #c + :one",
        ExpressionAttributeNames: { "#c": "Count" },
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );
    const legacyId = (await call("ListAssociations", {})).Associations.find(
      (a: { InstanceId?: string }) => a.InstanceId,
    ).AssociationId;
    await send(new DeleteCommand({ TableName: table.name, Key: keys.association(scope, legacyId) }));
    // The other association loses its index hint under its node's id: the node would not see it.
    const other = (await call("ListAssociations", {})).Associations.find(
      (a: { InstanceId?: string }) => !a.InstanceId,
    ).AssociationId;
    await send(
      new DeleteCommand({
        TableName: table.name,
        Key: keys.associationLookup(scope, `InstanceIds=${NODE}`, other),
      }),
    );
    const { violations } = await audit(table.db, table.name);
    const expected = [
      /counter .*\|Associations is 3, 1 counted/,
      /document DOC#.*audited VersionCount 3, 2 versions stored/,
      /document DOC#.*audited AssociationCount 2, 1 associations/,
      /document DOC#.*audited version 1 without|HASH#.* points nowhere/,
      /association ASSOC#.*: \d+ items without a head/,
      /legacy pair LEGACY#.* names missing association/,
      /association .* missing from the index under InstanceIds=/,
    ];
    for (const pattern of expected)
      expect(
        violations.some((line) => pattern.test(line)),
        String(pattern),
      ).toBe(true);
  });
});
