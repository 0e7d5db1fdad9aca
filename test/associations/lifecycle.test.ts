/** Describe, list, update, versions, delete, batch and tags of associations. */
import { beforeAll, describe, expect, it } from "vitest";
import { commandContent } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const A = "i-0aaaaaaaaaaaaaaa1";
const B = "i-0bbbbbbbbbbbbbbb2";
const target = [{ Key: "tag:env", Values: ["prod"] }];

beforeAll(async () => {
  table = await freshTable();
  for (const id of [A, B]) await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "first-doc", Content: commandContent("first") });
  await call("CreateDocument", { Name: "second-doc", Content: commandContent("second") });
});

const refs = async (name: string) =>
  (await table.items()).find((item) => item.Type === "Document" && item.Name === name)?.AssociationCount;

describe("DescribeAssociation", () => {
  it("by id, by document and node for a legacy association, and by version", async () => {
    const { AssociationDescription: legacy } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: A,
    });
    expect(legacy.Overview).toEqual({ Status: "Pending", DetailedStatus: "Creating" });
    // Once created, it is bound to its node, which has not run it yet: AWS's describe-association
    // CLI example for the legacy d8617c07... association shows exactly this Overview.
    const bound = {
      ...legacy,
      Overview: { Status: "Pending", DetailedStatus: "Associated", AssociationStatusAggregatedCount: { Pending: 1 } },
    };
    expect((await call("DescribeAssociation", { AssociationId: legacy.AssociationId })).AssociationDescription).toEqual(
      bound,
    );
    expect(
      (await call("DescribeAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: A })).AssociationDescription,
    ).toEqual(bound);
    expect(
      (await call("DescribeAssociation", { AssociationId: legacy.AssociationId, AssociationVersion: "$LATEST" }))
        .AssociationDescription,
    ).toEqual(bound);
    expect(
      (await fails("DescribeAssociation", { AssociationId: legacy.AssociationId, AssociationVersion: "9" })).type,
    ).toBe("InvalidAssociationVersion");
  });

  it("by version: the definition that version had, members added later included (issue 29, defect 1)", async () => {
    // Version 1 had no schedule and no name; version 2 adds both. Describing version 1 must not
    // show version 2's (ListAssociationVersions always showed each version's own).
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "first-doc",
      Targets: target,
      Parameters: { message: ["one"] },
    });
    await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      Parameters: { message: ["two"] },
      ScheduleExpression: "rate(2 days)",
      AssociationName: "named-later",
      MaxErrors: "1",
    });
    const v1 = (await call("DescribeAssociation", { AssociationId: created.AssociationId, AssociationVersion: "1" }))
      .AssociationDescription;
    expect(v1).toMatchObject({ AssociationVersion: "1", Parameters: { message: ["one"] } });
    expect(v1.ScheduleExpression).toBeUndefined();
    expect(v1.AssociationName).toBeUndefined();
    expect(v1.MaxErrors).toBeUndefined();
    const { AssociationVersions } = await call("ListAssociationVersions", { AssociationId: created.AssociationId });
    const listed = AssociationVersions.find((v: { AssociationVersion: string }) => v.AssociationVersion === "1");
    for (const member of ["ScheduleExpression", "AssociationName", "MaxErrors", "Parameters", "Targets", "Name"])
      expect({ member, value: v1[member] }).toEqual({ member, value: listed[member] });
    await call("DeleteAssociation", { AssociationId: created.AssociationId });
  });

  it("AssociationDoesNotExist for an unknown id or pair", async () => {
    const id = "6d7c8f5e-1111-4222-8333-444455556666";
    expect(await fails("DescribeAssociation", { AssociationId: id })).toEqual({
      status: 400,
      type: "AssociationDoesNotExist",
      message: `Association ${id} does not exist.`,
    });
    expect((await fails("DescribeAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: B })).type).toBe(
      "AssociationDoesNotExist",
    );
  });
});

describe("UpdateAssociation (and ListAssociationVersions)", () => {
  it("writes a new version each time, clears what it leaves out, and keeps every version", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "first-doc",
      Targets: target,
      AssociationName: "v1-name",
      ScheduleExpression: "rate(1 day)",
    });
    const { AssociationDescription: updated } = await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      Targets: [{ Key: "tag:env", Values: ["staging"] }],
      ScheduleExpression: "rate(2 days)",
    });
    expect(updated).toMatchObject({
      AssociationId: created.AssociationId,
      AssociationVersion: "2",
      Name: "first-doc",
      Targets: [{ Key: "tag:env", Values: ["staging"] }],
      ScheduleExpression: "rate(2 days)",
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      Date: created.Date,
    });
    expect(updated.AssociationName).toBeUndefined();
    expect(updated.LastUpdateAssociationDate).toBeGreaterThanOrEqual(created.LastUpdateAssociationDate);

    const v1 = (await call("DescribeAssociation", { AssociationId: created.AssociationId, AssociationVersion: "1" }))
      .AssociationDescription;
    expect(v1).toMatchObject({
      AssociationVersion: "1",
      AssociationName: "v1-name",
      ScheduleExpression: "rate(1 day)",
    });

    const versions = await call("ListAssociationVersions", { AssociationId: created.AssociationId, MaxResults: 1 });
    expect(versions.AssociationVersions).toHaveLength(1);
    const rest = await call("ListAssociationVersions", {
      AssociationId: created.AssociationId,
      NextToken: versions.NextToken,
    });
    expect(
      [...versions.AssociationVersions, ...rest.AssociationVersions].map(
        (v: { AssociationVersion: string }) => v.AssociationVersion,
      ),
    ).toEqual(["1", "2"]);
    expect(rest.NextToken).toBeUndefined();
  });

  it("refuses a stale AssociationVersion, and accepts the latest or $LATEST", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", { Name: "first-doc", Targets: target });
    await call("UpdateAssociation", { AssociationId: a.AssociationId, Targets: target, AssociationVersion: "1" });
    expect(
      (await fails("UpdateAssociation", { AssociationId: a.AssociationId, Targets: target, AssociationVersion: "1" }))
        .type,
    ).toBe("InvalidAssociationVersion");
    expect(
      (
        await invoke("UpdateAssociation", {
          AssociationId: a.AssociationId,
          Targets: target,
          AssociationVersion: "$LATEST",
        })
      ).status,
    ).toBe(200);
  });

  it("moves the document reference when the document changes", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", { Name: "first-doc", Targets: target });
    const [firstBefore, secondBefore] = [await refs("first-doc"), await refs("second-doc")];
    await call("UpdateAssociation", { AssociationId: a.AssociationId, Name: "second-doc", Targets: target });
    expect(await refs("first-doc")).toBe((firstBefore as number) - 1);
    expect(await refs("second-doc")).toBe((secondBefore as number) + 1);
  });

  it("InvalidUpdate: a legacy association keeps its document and targets", async () => {
    const { AssociationDescription: legacy } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: B,
    });
    expect(
      (await fails("UpdateAssociation", { AssociationId: legacy.AssociationId, Name: "AWS-RunShellScript" })).type,
    ).toBe("InvalidUpdate");
    expect(
      (
        await fails("UpdateAssociation", {
          AssociationId: legacy.AssociationId,
          Targets: [{ Key: "InstanceIds", Values: [A] }],
        })
      ).type,
    ).toBe("InvalidUpdate");
    const ok = await call("UpdateAssociation", {
      AssociationId: legacy.AssociationId,
      Parameters: { version: ["3.3.0.0"] },
    });
    expect(ok.AssociationDescription).toMatchObject({
      InstanceId: B,
      AssociationVersion: "2",
      Targets: [{ Key: "InstanceIds", Values: [B] }],
    });
  });

  it("checks the new definition as a create does, writing nothing when refused", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", { Name: "first-doc", Targets: target });
    const before = await table.items();
    for (const [request, type] of [
      [{ ScheduleExpression: "rate(5 minutes)", Targets: target }, "InvalidSchedule"],
      [{ Parameters: { nope: ["x"] }, Targets: target }, "InvalidParameters"],
      [{ Name: "no-such-doc", Targets: target }, "InvalidDocument"],
      [{ DocumentVersion: "42", Targets: target }, "InvalidDocumentVersion"],
      [{ Targets: [{ Key: "Bogus", Values: ["x"] }] }, "InvalidTarget"],
      [
        { OutputLocation: { S3Location: { OutputS3BucketName: "Bad_Bucket" } }, Targets: target },
        "InvalidOutputLocation",
      ],
      [{ Targets: target, TargetMaps: [{ InstanceId: [A] }] }, "InvalidTargetMaps"],
    ] as const) {
      expect((await fails("UpdateAssociation", { AssociationId: a.AssociationId, ...request })).type).toBe(type);
    }
    expect((await fails("UpdateAssociation", { AssociationId: "6d7c8f5e-1111-4222-8333-444455556666" })).type).toBe(
      "AssociationDoesNotExist",
    );
    expect(await table.items()).toEqual(before);
  });
});

describe("ListAssociations", () => {
  it("filters by every key and pages with NextToken", async () => {
    const { AssociationDescription: named } = await call("CreateAssociation", {
      Name: "second-doc",
      Targets: target,
      AssociationName: "findable",
    });
    const list = async (key: string, value: string) =>
      (await call("ListAssociations", { AssociationFilterList: [{ key, value }] })).Associations.map(
        (a: { AssociationId: string }) => a.AssociationId,
      );
    expect(await list("AssociationName", "findable")).toEqual([named.AssociationId]);
    expect(await list("AssociationId", named.AssociationId)).toEqual([named.AssociationId]);
    expect(await list("Name", "second-doc")).toContain(named.AssociationId);
    expect(await list("InstanceId", A)).toHaveLength(1);
    expect((await list("AssociationStatusName", "Pending")).length).toBeGreaterThan(1);
    expect(await list("LastExecutedAfter", "2020-01-01T00:00:00Z")).toEqual([]);
    expect(await list("ResourceGroupName", "g")).toEqual([]);

    const all = (await call("ListAssociations", {})).Associations;
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await call("ListAssociations", { MaxResults: 2, NextToken: token });
      expect(page.Associations.length).toBeLessThanOrEqual(2);
      seen.push(...page.Associations.map((a: { AssociationId: string }) => a.AssociationId));
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual(all.map((a: { AssociationId: string }) => a.AssociationId).sort());
    const item = all.find((a: { AssociationId: string }) => a.AssociationId === named.AssociationId);
    expect(Object.keys(item).sort()).toEqual(
      [
        "AssociationId",
        "AssociationName",
        "AssociationVersion",
        "DocumentVersion",
        "Name",
        "Overview",
        "Targets",
      ].sort(),
    );
    expect((await fails("ListAssociations", { NextToken: "garbage" })).type).toBe("InvalidNextToken");
  });
});

describe("DeleteAssociation", () => {
  it("by id and by document and node; gives back the slot and the document reference", async () => {
    await call("CreateDocument", { Name: "short-lived", Content: commandContent("s") });
    const { AssociationDescription: a } = await call("CreateAssociation", { Name: "short-lived", Targets: target });
    expect(await refs("short-lived")).toBe(1);
    expect(await call("DeleteAssociation", { AssociationId: a.AssociationId })).toEqual({});
    expect(await refs("short-lived")).toBe(0);
    expect((await fails("DescribeAssociation", { AssociationId: a.AssociationId })).type).toBe(
      "AssociationDoesNotExist",
    );
    expect((await table.items()).filter((item) => String(item.PK).includes(a.AssociationId))).toEqual([]);
    expect((await invoke("DeleteDocument", { Name: "short-lived" })).status).toBe(200);

    await call("DeleteAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: A });
    expect((await fails("DeleteAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: A })).type).toBe(
      "AssociationDoesNotExist",
    );
    // The pair is free again.
    expect((await invoke("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: A })).status).toBe(200);
    expect((await fails("DeleteAssociation", { AssociationId: a.AssociationId })).type).toBe("AssociationDoesNotExist");
  });
});

describe("CreateAssociationBatch", () => {
  it("creates each entry on its own, reporting failures with their entry", async () => {
    await call("UpdateInstanceInformation", { InstanceId: "i-0ccccccccccccccc3", PlatformType: "Linux" });
    const entries = [
      { Name: "AWS-RunShellScript", InstanceId: "i-0ccccccccccccccc3", Parameters: { commands: ["uptime"] } },
      { Name: "no-such-doc", Targets: target },
      { Name: "first-doc", Targets: target, ScheduleExpression: "rate(1 minute)" },
    ];
    const result = await call("CreateAssociationBatch", { Entries: entries });
    expect(result.Successful).toHaveLength(1);
    expect(result.Successful[0]).toMatchObject({ Name: "AWS-RunShellScript", InstanceId: "i-0ccccccccccccccc3" });
    expect(result.Failed).toEqual([
      { Entry: entries[1], Message: expect.stringContaining("does not exist"), Fault: "Client" },
      { Entry: entries[2], Message: expect.stringContaining("schedule"), Fault: "Client" },
    ]);
  });

  it("DuplicateInstanceId: a node id in the InstanceId of more than one entry fails the whole call, writing nothing", async () => {
    // How: a whole-call error (HTTP 400, `__type: DuplicateInstanceId`), no entry created.
    // Why: the model lists DuplicateInstanceId among CreateAssociationBatch's operation errors (SDKs
    // throw it as an exception), its shape has no member that could tie it to one entry, and it is a
    // relation between entries, not a fault of one; per-entry faults go to Failed (the published
    // create-association-batch example's "Association Already Exists"). It concerns the entries'
    // InstanceId ("You can't specify a managed node ID in more than one association", the error's
    // doc, from when entries named nodes only by InstanceId); target-based entries may name the same
    // node, as target-based associations may in separate calls.
    await call("UpdateInstanceInformation", { InstanceId: "i-0ddddddddddddddd4", PlatformType: "Linux" });
    const before = await table.items();
    const answer = await invoke("CreateAssociationBatch", {
      Entries: [
        { Name: "AWS-UpdateSSMAgent", InstanceId: "i-0ddddddddddddddd4" },
        { Name: "AWS-GatherSoftwareInventory", Targets: target },
        { Name: "AWS-RunShellScript", InstanceId: "i-0ddddddddddddddd4", Parameters: { commands: ["ls"] } },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      __type: "DuplicateInstanceId",
      message: "You can't specify a managed node ID in more than one association.",
    });
    expect(await table.items()).toEqual(before);
    // Target-based entries naming one node are not duplicates.
    const targeted = await call("CreateAssociationBatch", {
      Entries: [
        { Name: "AWS-UpdateSSMAgent", Targets: [{ Key: "InstanceIds", Values: ["i-0ddddddddddddddd4"] }] },
        { Name: "AWS-GatherSoftwareInventory", Targets: [{ Key: "InstanceIds", Values: ["i-0ddddddddddddddd4"] }] },
      ],
    });
    expect(targeted.Successful).toHaveLength(2);
  });

  it("answers the seed page's batch sample with the same shape", async () => {
    for (const id of ["i-0471e04240aaaaaaa", "i-07782c72faaaaaaaa"])
      await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
    const result = await call("CreateAssociationBatch", {
      Entries: [
        { InstanceId: "i-0471e04240aaaaaaa", Name: "AWS-UpdateSSMAgent" },
        { InstanceId: "i-07782c72faaaaaaaa", Name: "AWS-UpdateSSMAgent" },
      ],
    });
    expect(result.Failed).toEqual([]);
    expect(result.Successful).toHaveLength(2);
    for (const description of result.Successful) {
      expect(description).toMatchObject({
        ApplyOnlyAtCronInterval: false,
        AssociationVersion: "1",
        DocumentVersion: "$DEFAULT",
        Name: "AWS-UpdateSSMAgent",
        Overview: { DetailedStatus: "Creating", Status: "Pending" },
        Status: { Message: "Associated with AWS-UpdateSSMAgent", Name: "Associated" },
      });
    }
  });
});

describe("AddTagsToResource, ListTagsForResource and RemoveTagsFromResource on associations", () => {
  it("add, list and remove", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", { Name: "first-doc", Targets: target });
    await call("AddTagsToResource", {
      ResourceType: "Association",
      ResourceId: a.AssociationId,
      Tags: [{ Key: "k", Value: "v" }],
    });
    expect(
      (await call("ListTagsForResource", { ResourceType: "Association", ResourceId: a.AssociationId })).TagList,
    ).toEqual([{ Key: "k", Value: "v" }]);
    await call("RemoveTagsFromResource", { ResourceType: "Association", ResourceId: a.AssociationId, TagKeys: ["k"] });
    expect(
      (await call("ListTagsForResource", { ResourceType: "Association", ResourceId: a.AssociationId })).TagList,
    ).toEqual([]);
    expect(
      (
        await fails("ListTagsForResource", {
          ResourceType: "Association",
          ResourceId: "6d7c8f5e-1111-4222-8333-444455556666",
        })
      ).type,
    ).toBe("InvalidResourceId");
  });
});
