/**
 * Issue 15's findings, one test each, through the real handlers: bad input that was answered
 * with a 500 (item 1), unknown members stored and echoed (item 2), unbounded work (item 3) and
 * errors the model does not list for the operation (item 5).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../shared/validation/generated/ssm-model.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke, invokeRaw } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";
import { deeplyNested } from "./model-arbitraries.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const WINDOWS = "i-0bbbbbbbbbbbbbbb2";
let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
  await call("CreateDocument", { Name: "rel-doc", Content: commandContent(), DocumentType: "Command" });
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("UpdateInstanceInformation", { InstanceId: WINDOWS, PlatformType: "Windows" });
});

/** Sends a request that must be refused with `type`, and checks that it wrote nothing. */
async function refused(operation: string, request: unknown, type: string) {
  const before = await table.items();
  const answer = typeof request === "string" ? await invokeRaw(operation, request) : await invoke(operation, request);
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.__type).toBe(type);
  expect(await table.items()).toEqual(before);
  return answer.body;
}

const listed = (operation: string, type: string) => operations[operation]?.errors.includes(type);

describe("item 1: bad input is a 4xx, never a 500", () => {
  it("a ListDocuments filter without a Key (the model makes Key optional)", async () => {
    await refused("ListDocuments", { Filters: [{}] }, "InvalidFilterKey");
    await refused("ListDocuments", { Filters: [{ Key: "constructor", Values: ["x"] }] }, "InvalidFilterKey");
  });

  it("a timestamp sent as a string is a SerializationException", async () => {
    for (const value of ["not a date", "", "2024-01-01T00:00:00Z"]) {
      await refused("CreateActivation", { IamRole: "r", ExpirationDate: value }, "SerializationException");
      await refused(
        "UpdateAssociationStatus",
        { Name: "rel-doc", InstanceId: NODE, AssociationStatus: { Date: value, Name: "Success", Message: "m" } },
        "SerializationException",
      );
    }
  });

  it("a timestamp no date can hold is a ValidationException", async () => {
    for (const value of [1e20, 8640000000001, 2 ** 63, -1e15]) {
      const body = await refused("CreateActivation", { IamRole: "r", ExpirationDate: value }, "ValidationException");
      expect(body.message).toContain("at 'expirationDate' failed to satisfy constraint");
      await refused(
        "PutComplianceItems",
        {
          ResourceId: NODE,
          ResourceType: "ManagedInstance",
          ComplianceType: "Custom:x",
          ExecutionSummary: { ExecutionTime: value },
          Items: [],
        },
        "ValidationException",
      );
      await refused(
        "UpdateInstanceAssociationStatus",
        {
          AssociationId: "00000000-0000-4000-8000-000000000000",
          InstanceId: NODE,
          ExecutionResult: { Status: "Success", ExecutionDate: value },
        },
        "ValidationException",
      );
    }
  });

  it("a tag operation's ResourceId past DynamoDB's key limits is InvalidResourceId", async () => {
    for (const id of ["a".repeat(2100), "😀".repeat(600)]) {
      for (const type of ["Document", "ManagedInstance", "Association"]) {
        await refused(
          "AddTagsToResource",
          { ResourceType: type, ResourceId: id, Tags: [{ Key: "k", Value: "v" }] },
          "InvalidResourceId",
        );
        await refused("ListTagsForResource", { ResourceType: type, ResourceId: id }, "InvalidResourceId");
        await refused(
          "RemoveTagsFromResource",
          { ResourceType: type, ResourceId: id, TagKeys: ["k"] },
          "InvalidResourceId",
        );
      }
    }
  });

  it("other client values that become keys, past DynamoDB's limits, get the operation's not-found error", async () => {
    // The model's AssociationId pattern is not anchored, so a long value containing a UUID passes it.
    const longId = `00000000-0000-4000-8000-000000000000${"a".repeat(2100)}`;
    await refused("DescribeAssociation", { AssociationId: longId }, "AssociationDoesNotExist");
    await refused("DeleteAssociation", { AssociationId: longId }, "AssociationDoesNotExist");
    await refused("ListAssociationVersions", { AssociationId: longId }, "AssociationDoesNotExist");
    await refused(
      "CreateAssociation",
      { Name: "rel-doc", Targets: [{ Key: "InstanceIds", Values: [`i-${"a".repeat(2100)}`] }] },
      "InvalidInstanceId",
    );
    const forged = Buffer.from(JSON.stringify({ after: "x".repeat(3000) })).toString("base64url");
    for (const operation of [
      "ListDocuments",
      "ListAssociations",
      "DescribeActivations",
      "DescribeInstanceInformation",
    ]) {
      const answer = await invoke(operation, { NextToken: forged });
      expect(answer.status, `${operation} ${JSON.stringify(answer.body)}`).toBeLessThan(500);
    }
  });

  it("unknown members named '', __proto__ or constructor, at any depth", async () => {
    const body = `{"Name":"rel-doc","Targets":[{"Key":"InstanceIds","Values":["${NODE}"],"":1,"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}],"OutputLocation":{"S3Location":{"OutputS3BucketName":"bucket","__proto__":[1],"":{}}},"__proto__":{"Name":"other"},"constructor":1}`;
    const answer = await invokeRaw("CreateAssociation", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const description = answer.body.AssociationDescription as { AssociationId: string; Targets: unknown };
    expect(description.Targets).toEqual([{ Key: "InstanceIds", Values: [NODE] }]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    await call("DeleteAssociation", { AssociationId: description.AssociationId });
  });

  it("a compliance Details member named constructor or __proto__ is stored as data", async () => {
    const put = await invokeRaw(
      "PutComplianceItems",
      `{"ResourceId":"${NODE}","ResourceType":"ManagedInstance","ComplianceType":"Custom:proto","ExecutionSummary":{"ExecutionTime":1795600000},"Items":[{"Id":"i","Severity":"LOW","Status":"COMPLIANT","Details":{"constructor":"c","k":"v"}}]}`,
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const listedItems = await call("ListComplianceItems", {
      ResourceIds: [NODE],
      Filters: [{ Key: "ComplianceType", Values: ["Custom:proto"] }],
    });
    expect(listedItems.ComplianceItems[0].Details).toEqual({ constructor: "c", k: "v" });
  });

  it("a batch entry nested 3,000 levels deep", async () => {
    const entry = { Name: "rel-doc", InstanceId: NODE, Extra: deeplyNested(3000, "object") };
    const answer = await invoke("CreateAssociationBatch", { Entries: [entry, deeplyNested(3000, "array")] });
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("SerializationException");
    const deepMember = await invoke("CreateAssociationBatch", {
      Entries: [{ Name: "no-such-doc", InstanceId: NODE, Extra: deeplyNested(3000, "object") }],
    });
    expect(deepMember.status).toBe(200);
    expect((deepMember.body.Failed as { Entry: unknown }[])[0]?.Entry).toEqual({
      Name: "no-such-doc",
      InstanceId: NODE,
    });
  });
});

describe("item 2: stored and answered values hold the model's members only", () => {
  it("unknown members inside Targets, TargetLocations, OutputLocation, AlarmConfiguration are not stored", async () => {
    const created = await call("CreateAssociation", {
      Name: "rel-doc",
      Targets: [{ Key: "InstanceIds", Values: [NODE], x: 1 }],
      OutputLocation: { S3Location: { OutputS3BucketName: "bucket", x: 2 }, y: 3 },
      AlarmConfiguration: { Alarms: [{ Name: "a", x: 4 }], x: 5 },
      TargetLocations: [{ Accounts: ["000000000000"], Regions: ["us-east-1"], x: 6 }],
    });
    const id = created.AssociationDescription.AssociationId;
    const described = await call("DescribeAssociation", { AssociationId: id });
    const versions = await call("ListAssociationVersions", { AssociationId: id });
    const listedAssociations = await call("ListAssociations", {});
    const text = JSON.stringify([created, described, versions, listedAssociations, await table.items()]);
    expect(text).not.toMatch(/"x":|"y":/);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("CreateDocument's Requires and CreateAssociationBatch's Failed entries keep model members only", async () => {
    const batch = await call("CreateAssociationBatch", {
      Entries: [{ Name: "no-such-doc", InstanceId: NODE, Targets: undefined, x: 1, OutputLocation: { z: 1 } }],
    });
    expect(batch.Failed[0].Entry).toEqual({ Name: "no-such-doc", InstanceId: NODE, OutputLocation: {} });
    const answer = await invoke("CreateDocument", {
      Name: "rel-requires",
      Content: commandContent(),
      Requires: [{ Name: "rel-doc", x: 1 }],
    });
    expect(JSON.stringify(answer.body)).not.toContain('"x"');
  });
});

describe("item 3: bounded work per request", () => {
  it("ListComplianceItems takes one ResourceId, as AWS documents", async () => {
    const body = await refused(
      "ListComplianceItems",
      { ResourceIds: Array.from({ length: 40_000 }, (_, i) => `i-${String(i).padStart(17, "0")}`) },
      "ValidationException",
    );
    expect(body.message).toContain("Member must have length less than or equal to 1");
    expect((await invoke("ListComplianceItems", { ResourceIds: [NODE] })).status).toBe(200);
  });

  it("PutComplianceItems with the model's 10,000 items is stored (split across items), not a 500", async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ Id: `item-${i}`, Severity: "LOW", Status: "COMPLIANT" }));
    const request = {
      ResourceId: NODE,
      ResourceType: "ManagedInstance",
      ComplianceType: "Custom:big",
      ExecutionSummary: { ExecutionTime: 1795600000 },
      Items: items,
    };
    const answer = await invoke("PutComplianceItems", request);
    expect(answer.status).toBe(200);
    const small = await invoke("PutComplianceItems", { ...request, Items: items.slice(0, 1000) });
    expect(small.status).toBe(200);
  });
});

describe("item 5: every error answered is one the model lists for the operation", () => {
  it("DeleteDocument of a version that does not exist is InvalidDocument (InvalidDocumentVersion is not listed)", async () => {
    expect(listed("DeleteDocument", "InvalidDocumentVersion")).toBe(false);
    await refused("DeleteDocument", { Name: "rel-doc", DocumentVersion: "9" }, "InvalidDocument");
    await refused("DeleteDocument", { Name: "rel-doc", VersionName: "nope" }, "InvalidDocument");
  });

  it("UpdateAssociation to a node of an unsupported platform, or no node, is InvalidTarget", async () => {
    expect(listed("UpdateAssociation", "UnsupportedPlatformType")).toBe(false);
    expect(listed("UpdateAssociation", "InvalidInstanceId")).toBe(false);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "rel-doc",
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
    });
    await refused(
      "UpdateAssociation",
      { AssociationId: a.AssociationId, Targets: [{ Key: "InstanceIds", Values: [WINDOWS] }] },
      "InvalidTarget",
    );
    await refused(
      "UpdateAssociation",
      { AssociationId: a.AssociationId, Targets: [{ Key: "InstanceIds", Values: ["i-0ccccccccccccccc3"] }] },
      "InvalidTarget",
    );
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });
});

describe("a refused request writes nothing (found by the fuzz re-run)", () => {
  it("ListInstanceAssociations with a malformed NextToken is refused before a due run is handed out", async () => {
    const node = await ManagedNode.register([{ Key: "fuzz", Value: "token" }]);
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fuzz", Values: ["token"] }],
      Parameters: { commands: ["true"] },
    });
    const before = await table.items();
    const answer = await invoke(
      "ListInstanceAssociations",
      { InstanceId: node.id, MaxResults: 18, NextToken: "M" },
      { identity: node.identity },
    );
    expect(answer.body.__type).toBe("InvalidNextToken");
    expect(await table.items()).toEqual(before);
    expect(await node.due()).toHaveLength(1);
  });
});
