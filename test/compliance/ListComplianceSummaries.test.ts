/**
 * ListComplianceSummaries through the real handler: per compliance type, resources counted as
 * compliant or not, split by severity (awscli/examples/ssm/list-compliance-summaries.rst), with the
 * filters the user guide documents (sysman-compliance-walk) and pagination.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const LINUX = "i-0aaaaaaaaaaaaaaa1";
const WINDOWS = "i-0bbbbbbbbbbbbbbb2";
const zero = {
  CriticalCount: 0,
  HighCount: 0,
  MediumCount: 0,
  LowCount: 0,
  InformationalCount: 0,
  UnspecifiedCount: 0,
};

const put = (ResourceId: string, ComplianceType: string, Items: unknown[], ExecutionId?: string) =>
  call("PutComplianceItems", {
    ResourceId,
    ResourceType: "ManagedInstance",
    ComplianceType,
    ExecutionSummary: { ExecutionTime: 1795600000, ExecutionId },
    Items,
  });

beforeAll(async () => {
  await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: LINUX, PlatformType: "Linux" });
  await call("UpdateInstanceInformation", { InstanceId: WINDOWS, PlatformType: "Windows" });
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: WINDOWS,
    Tags: [{ Key: "Patch Group", Value: "TestGroup" }],
  });
});

describe("ListComplianceSummaries", () => {
  it("is empty, with no token, before anything is recorded", async () => {
    expect(await call("ListComplianceSummaries")).toEqual({ ComplianceSummaryItems: [] });
  });

  it("counts resources per type, every severity count present (zeros included), types in name order", async () => {
    await put(LINUX, "Patch", [{ Id: "kb1", Severity: "UNSPECIFIED", Status: "COMPLIANT" }], "run-linux");
    await put(WINDOWS, "Patch", [
      { Id: "kb2", Severity: "CRITICAL", Status: "NON_COMPLIANT" },
      { Id: "kb3", Severity: "LOW", Status: "COMPLIANT" },
    ]);
    await put(LINUX, "Custom:Audit", [{ Id: "x", Severity: "HIGH", Status: "COMPLIANT" }]);
    const { ComplianceSummaryItems, NextToken } = await call("ListComplianceSummaries");
    expect(NextToken).toBeUndefined();
    expect(ComplianceSummaryItems).toEqual([
      {
        ComplianceType: "Custom:Audit",
        CompliantSummary: { CompliantCount: 1, SeveritySummary: { ...zero, HighCount: 1 } },
        NonCompliantSummary: { NonCompliantCount: 0, SeveritySummary: zero },
      },
      // The published example's Patch row: one compliant (unspecified), one non-compliant (critical).
      {
        ComplianceType: "Patch",
        CompliantSummary: { CompliantCount: 1, SeveritySummary: { ...zero, UnspecifiedCount: 1 } },
        NonCompliantSummary: { NonCompliantCount: 1, SeveritySummary: { ...zero, CriticalCount: 1 } },
      },
    ]);
  });

  it("filters: ComplianceType (the CLI example), platform, patch group, execution id", async () => {
    const types = async (Filters: unknown[]) =>
      (await call("ListComplianceSummaries", { Filters })).ComplianceSummaryItems.map(
        (item: { ComplianceType: string; CompliantSummary: { CompliantCount: number } }) =>
          `${item.ComplianceType}:${item.CompliantSummary.CompliantCount}`,
      );
    expect(await types([{ Key: "ComplianceType", Values: ["Patch"], Type: "EQUAL" }])).toEqual(["Patch:1"]);
    expect(await types([{ Key: "ComplianceType", Values: ["Custom:"], Type: "BEGIN_WITH" }])).toEqual([
      "Custom:Audit:1",
    ]);
    expect(await types([{ Key: "AWS:InstanceInformation.PlatformType", Values: ["Windows"] }])).toEqual(["Patch:0"]);
    expect(
      await types([
        { Key: "AWS:InstanceInformation.PlatformType", Values: ["Windows"] },
        { Key: "PatchGroup", Values: ["TestGroup"] },
      ]),
    ).toEqual(["Patch:0"]);
    expect(await types([{ Key: "PatchGroup", Values: ["OtherGroup"] }])).toEqual([]);
    expect(await types([{ Key: "ExecutionId", Values: ["run-linux"] }])).toEqual(["Patch:1"]);
  });

  it("pages with MaxResults and NextToken", async () => {
    const first = await call("ListComplianceSummaries", { MaxResults: 1 });
    expect(first.ComplianceSummaryItems.map((i: { ComplianceType: string }) => i.ComplianceType)).toEqual([
      "Custom:Audit",
    ]);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await call("ListComplianceSummaries", { MaxResults: 1, NextToken: first.NextToken });
    expect(second.ComplianceSummaryItems.map((i: { ComplianceType: string }) => i.ComplianceType)).toEqual(["Patch"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("refuses an unknown filter key (InvalidFilter) and a foreign token (InvalidNextToken)", async () => {
    expect((await fails("ListComplianceSummaries", { Filters: [{ Key: "Colour", Values: ["red"] }] })).type).toBe(
      "InvalidFilter",
    );
    expect((await fails("ListComplianceSummaries", { NextToken: "not-a-token" })).type).toBe("InvalidNextToken");
  });
});
