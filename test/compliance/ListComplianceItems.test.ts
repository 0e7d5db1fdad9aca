/**
 * ListComplianceItems filters through the real handler: every key AWS's examples use
 * (awscli/examples/ssm/list-compliance-items.rst: ComplianceType, Id, ExecutionTime with
 * GREATER_THAN; user guide sysman-compliance-walk: DocumentName, Status, Severity) and the
 * ExecutionTime comparisons EQUAL, LESS_THAN, GREATER_THAN.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const EARLY = "2019-02-17T10:00:00Z";
const LATE = "2019-02-18T17:00:00Z";

const put = (ComplianceType: string, ExecutionTime: string, Items: unknown[], ExecutionType?: string) =>
  call("PutComplianceItems", {
    ResourceId: NODE,
    ResourceType: "ManagedInstance",
    ComplianceType,
    ExecutionSummary: { ExecutionTime: Date.parse(ExecutionTime) / 1000, ExecutionType, ExecutionId: "e-1" },
    Items,
  });

const ids = async (Filters: unknown[]) =>
  (
    await call("ListComplianceItems", { ResourceIds: [NODE], ResourceTypes: ["ManagedInstance"], Filters })
  ).ComplianceItems.map((item: { Id: string }) => item.Id).sort();

beforeAll(async () => {
  await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await put("Custom:Early", EARLY, [
    { Id: "early-1", Title: "first", Severity: "HIGH", Status: "NON_COMPLIANT", Details: { DocumentName: "doc-a" } },
  ]);
  await put(
    "Custom:Late",
    LATE,
    [
      { Id: "late-1", Title: "second", Severity: "LOW", Status: "COMPLIANT", Details: { DocumentName: "doc-b" } },
      { Id: "late-2", Severity: "UNSPECIFIED", Status: "COMPLIANT" },
    ],
    "Command",
  );
});

describe("ListComplianceItems filters", () => {
  it("ExecutionTime GREATER_THAN, as the CLI example (Values=2019-02-18T16:00:00Z)", async () => {
    expect(await ids([{ Key: "ExecutionTime", Values: ["2019-02-18T16:00:00Z"], Type: "GREATER_THAN" }])).toEqual([
      "late-1",
      "late-2",
    ]);
  });

  it("ExecutionTime LESS_THAN and EQUAL compare instants (ISO-8601 or epoch seconds)", async () => {
    expect(await ids([{ Key: "ExecutionTime", Values: ["2019-02-18T16:00:00Z"], Type: "LESS_THAN" }])).toEqual([
      "early-1",
    ]);
    expect(await ids([{ Key: "ExecutionTime", Values: [EARLY], Type: "EQUAL" }])).toEqual(["early-1"]);
    expect(await ids([{ Key: "ExecutionTime", Values: [String(Date.parse(LATE) / 1000)] }])).toEqual([
      "late-1",
      "late-2",
    ]);
    expect(await ids([{ Key: "ExecutionTime", Values: [EARLY], Type: "NOT_EQUAL" }])).toEqual(["late-1", "late-2"]);
  });

  it("the other documented keys: ComplianceType, Id, DocumentName, Status, Severity (and Title, ExecutionType)", async () => {
    expect(await ids([{ Key: "ComplianceType", Values: ["Custom:Late"], Type: "EQUAL" }])).toEqual([
      "late-1",
      "late-2",
    ]);
    expect(await ids([{ Key: "Id", Values: ["early-1"], Type: "EQUAL" }])).toEqual(["early-1"]);
    expect(await ids([{ Key: "DocumentName", Values: ["doc-b"] }])).toEqual(["late-1"]);
    expect(await ids([{ Key: "Status", Values: ["NON_COMPLIANT"], Type: "NOT_EQUAL" }])).toEqual(["late-1", "late-2"]);
    expect(await ids([{ Key: "Severity", Values: ["UNSPECIFIED"] }])).toEqual(["late-2"]);
    expect(await ids([{ Key: "Title", Values: ["fir"], Type: "BEGIN_WITH" }])).toEqual(["early-1"]);
    expect(await ids([{ Key: "ExecutionType", Values: ["Command"] }])).toEqual(["late-1", "late-2"]);
    // Several filters must all hold.
    expect(
      await ids([
        { Key: "ComplianceType", Values: ["Custom:Late"] },
        { Key: "Severity", Values: ["LOW"] },
      ]),
    ).toEqual(["late-1"]);
  });

  it("refuses a time that isn't one, and BEGIN_WITH on a time, with InvalidFilter", async () => {
    for (const filter of [
      { Key: "ExecutionTime", Values: ["yesterday"], Type: "GREATER_THAN" },
      { Key: "ExecutionTime", Values: ["2019"], Type: "BEGIN_WITH" },
      { Key: "PatchGroup", Values: ["x"] },
    ]) {
      expect((await fails("ListComplianceItems", { ResourceIds: [NODE], Filters: [filter] })).type).toBe(
        "InvalidFilter",
      );
    }
  });
});
