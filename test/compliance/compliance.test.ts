/** Compliance: what nodes report with PutComplianceItems, and what State Manager records for AUTO associations. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const OTHER = "i-0bbbbbbbbbbbbbbb2";

beforeAll(async () => {
  await freshTable();
  for (const id of [NODE, OTHER]) await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
});

const run = (AssociationId: string, InstanceId: string, Status: string) =>
  call("UpdateInstanceAssociationStatus", {
    AssociationId,
    InstanceId,
    ExecutionResult: { Status, ExecutionDate: 1795600000 },
  });

describe("association compliance: UpdateInstanceAssociationStatus records it, ListComplianceItems and ListResourceComplianceSummaries show it", () => {
  it("AUTO: a run's status becomes the association's compliance item, with its severity", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
      ComplianceSeverity: "HIGH",
      AssociationName: "inventory",
    });
    await run(a.AssociationId, NODE, "Success");
    const items = await call("ListComplianceItems", {
      ResourceIds: [NODE],
      Filters: [{ Key: "ComplianceType", Values: ["Association"] }],
    });
    expect(items.ComplianceItems).toEqual([
      expect.objectContaining({
        ComplianceType: "Association",
        ResourceType: "ManagedInstance",
        ResourceId: NODE,
        Id: a.AssociationId,
        // AWS's published item (awscli/examples/ssm/list-compliance-items.rst): Title "", and the
        // document version that ran, not $DEFAULT.
        Title: "",
        Status: "COMPLIANT",
        Severity: "HIGH",
        Details: { DocumentName: "AWS-GatherSoftwareInventory", DocumentVersion: "1" },
      }),
    ]);
    await run(a.AssociationId, NODE, "Failed");
    const after = await call("ListComplianceItems", { ResourceIds: [NODE] });
    expect(after.ComplianceItems.map((item: { Status: string }) => item.Status)).toEqual(["NON_COMPLIANT"]);
    const summaries = await call("ListResourceComplianceSummaries", {
      Filters: [{ Key: "ComplianceType", Values: ["Association"] }],
    });
    expect(summaries.ResourceComplianceSummaryItems).toEqual([
      expect.objectContaining({
        ResourceId: NODE,
        Status: "NON_COMPLIANT",
        OverallSeverity: "HIGH",
        NonCompliantSummary: expect.objectContaining({ NonCompliantCount: 1 }),
      }),
    ]);
  });

  it("MANUAL: only PutComplianceItems records compliance", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: [OTHER] }],
      SyncCompliance: "MANUAL",
    });
    await run(a.AssociationId, OTHER, "Success");
    expect((await call("ListComplianceItems", { ResourceIds: [OTHER] })).ComplianceItems).toEqual([]);
    await call("PutComplianceItems", {
      ResourceId: OTHER,
      ResourceType: "ManagedInstance",
      ComplianceType: "Association",
      ExecutionSummary: { ExecutionTime: 1795600000 },
      Items: [{ Id: a.AssociationId, Severity: "LOW", Status: "NON_COMPLIANT" }],
    });
    expect((await call("ListComplianceItems", { ResourceIds: [OTHER] })).ComplianceItems).toHaveLength(1);
  });
});

describe("PutComplianceItems", () => {
  it("COMPLETE replaces a type's items, PARTIAL merges them by Id", async () => {
    const put = (UploadType: string, Items: unknown[]) =>
      call("PutComplianceItems", {
        ResourceId: NODE,
        ResourceType: "ManagedInstance",
        ComplianceType: "Custom:Patching",
        ExecutionSummary: { ExecutionTime: 1795600000, ExecutionId: "run-1" },
        Items,
        UploadType,
      });
    await put("COMPLETE", [
      { Id: "a", Severity: "CRITICAL", Status: "NON_COMPLIANT", Title: "A" },
      { Id: "b", Severity: "LOW", Status: "COMPLIANT" },
    ]);
    await put("PARTIAL", [{ Id: "a", Severity: "CRITICAL", Status: "COMPLIANT", Title: "A fixed" }]);
    const list = async () =>
      (
        await call("ListComplianceItems", {
          ResourceIds: [NODE],
          Filters: [{ Key: "ComplianceType", Values: ["Custom:Patching"] }],
        })
      ).ComplianceItems;
    expect((await list()).map((i: { Id: string; Status: string }) => `${i.Id}:${i.Status}`).sort()).toEqual([
      "a:COMPLIANT",
      "b:COMPLIANT",
    ]);
    await put("COMPLETE", [{ Id: "c", Severity: "MEDIUM", Status: "NON_COMPLIANT" }]);
    expect((await list()).map((i: { Id: string }) => i.Id)).toEqual(["c"]);
    const noncompliant = await call("ListComplianceItems", {
      Filters: [{ Key: "Status", Values: ["NON_COMPLIANT"], Type: "EQUAL" }],
    });
    expect(noncompliant.ComplianceItems.every((i: { Status: string }) => i.Status === "NON_COMPLIANT")).toBe(true);
  });

  it("refuses other resource types, unknown nodes, unknown filter keys, and an 11th custom type", async () => {
    const base = {
      ResourceId: NODE,
      ResourceType: "ManagedInstance",
      ExecutionSummary: { ExecutionTime: 1795600000 },
      Items: [],
    };
    expect(
      (await fails("PutComplianceItems", { ...base, ResourceType: "Bucket", ComplianceType: "Custom:X" })).type,
    ).toBe("InvalidResourceType");
    expect(
      (await fails("PutComplianceItems", { ...base, ResourceId: "i-0ccccccccccccccc3", ComplianceType: "Custom:X" }))
        .type,
    ).toBe("InvalidResourceId");
    expect((await fails("ListComplianceItems", { Filters: [{ Key: "Colour", Values: ["red"] }] })).type).toBe(
      "InvalidFilter",
    );
    for (let i = 0; i < 9; i++) await call("PutComplianceItems", { ...base, ComplianceType: `Custom:T${i}` });
    expect((await fails("PutComplianceItems", { ...base, ComplianceType: "Custom:T10" })).type).toBe(
      "ComplianceTypeCountLimitExceededException",
    );
  });
});
