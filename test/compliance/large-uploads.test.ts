/**
 * PutComplianceItems with the model's maximum of 10,000 items (issue 15, item 3): refused with
 * TotalSizeLimitExceededException before, because one compliance type of one resource was one
 * DynamoDB item (400 KB). Now the items are split across chunks, written under a new generation
 * before the head names it, so a replacement is never seen half-done, even when interrupted.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "../reliability/audit.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const NODE = "i-0ccccccccccccccc1";
const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"];
let table: TestTable;
let fault: { command: string; fired: boolean } | undefined;

beforeAll(async () => {
  table = await freshTable();
  // Fails the next call of one command before it reaches DynamoDB (a crash at that point).
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (fault && !fault.fired && context.commandName === fault.command) {
        fault.fired = true;
        throw new Error("connect ECONNREFUSED (injected)");
      }
      return next(args);
    },
    { step: "initialize", name: "injectFault" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
});

/** `count` items, every 3rd NON_COMPLIANT, severities in turn (~70 bytes each: 10,000 fit the 1 MiB body). */
const itemsOf = (count: number, prefix = "item") =>
  Array.from({ length: count }, (_, i) => ({
    Id: `${prefix}-${i}`,
    Title: `t${i}`,
    Severity: SEVERITIES[i % SEVERITIES.length],
    Status: i % 3 === 0 ? "NON_COMPLIANT" : "COMPLIANT",
  }));

const put = (items: unknown[], UploadType = "COMPLETE") =>
  invoke("PutComplianceItems", {
    ResourceId: NODE,
    ResourceType: "ManagedInstance",
    ComplianceType: "Custom:Patches",
    ExecutionSummary: { ExecutionTime: 1795600000 },
    Items: items,
    UploadType,
  });

/** The items a reader sees, through the stored items: the head's own generation only. */
async function storedIds(): Promise<string[]> {
  const listed = await call("ListComplianceItems", {
    ResourceIds: [NODE],
    ResourceTypes: ["ManagedInstance"],
    Filters: [{ Key: "ComplianceType", Values: ["Custom:Patches"] }],
    MaxResults: 50,
  });
  const summary = (
    await call("ListResourceComplianceSummaries", {
      Filters: [{ Key: "ComplianceType", Values: ["Custom:Patches"] }],
    })
  ).ResourceComplianceSummaryItems[0];
  const total = summary.CompliantSummary.CompliantCount + summary.NonCompliantSummary.NonCompliantCount;
  const items = await table.items();
  const head = items.find((item) => item.Type === "Compliance" && item.ComplianceType === "Custom:Patches");
  const own = head?.Chunks
    ? items.filter((item) => item.Type === "ComplianceChunk" && item.Generation === head.Generation)
    : [head];
  const ids = own.flatMap((item) => ((item?.Items ?? []) as { Id: string }[]).map((i) => i.Id));
  expect(ids).toHaveLength(total);
  expect(ids.slice(0, listed.ComplianceItems.length)).toEqual(listed.ComplianceItems.map((i: { Id: string }) => i.Id));
  return ids;
}

describe("PutComplianceItems above one item's 400 KB", () => {
  it("10,000 items (the model's maximum) are stored, listed and summarized", async () => {
    const items = itemsOf(10_000);
    expect(Buffer.byteLength(JSON.stringify(items))).toBeGreaterThan(600 * 1024);
    const answer = await put(items);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await storedIds()).toEqual(items.map((item) => item.Id));
    const {
      ResourceComplianceSummaryItems: [summary],
    } = await call("ListResourceComplianceSummaries", {
      Filters: [{ Key: "ComplianceType", Values: ["Custom:Patches"] }],
    });
    expect(summary).toMatchObject({
      Status: "NON_COMPLIANT",
      OverallSeverity: "CRITICAL",
      CompliantSummary: { CompliantCount: 6_666 },
      NonCompliantSummary: {
        NonCompliantCount: 3_334,
        // i % 3 === 0 and i % 6 === 0 or 3: CRITICAL (i%6=0) and LOW (i%6=3), 1,667 each.
        SeveritySummary: { CriticalCount: 1_667, LowCount: 1_667, HighCount: 0, MediumCount: 0 },
      },
    });
    const { ComplianceSummaryItems } = await call("ListComplianceSummaries", {
      Filters: [{ Key: "ComplianceType", Values: ["Custom:Patches"] }],
    });
    expect(ComplianceSummaryItems).toEqual([
      expect.objectContaining({
        ComplianceType: "Custom:Patches",
        NonCompliantSummary: expect.objectContaining({ NonCompliantCount: 1 }),
      }),
    ]);
    // Without ResourceIds, ListComplianceItems reads the chunked type whole too.
    const all = await call("ListComplianceItems", { MaxResults: 50 });
    expect(all.ComplianceItems).toHaveLength(50);
    expect((await audit(table.db, table.name)).violations).toEqual([]);
  });

  it("a PARTIAL upload merges into the chunked items; a small COMPLETE one replaces them and the chunks go", async () => {
    expect((await put(itemsOf(5, "extra"), "PARTIAL")).status).toBe(200);
    expect(await storedIds()).toHaveLength(10_005);
    expect((await put(itemsOf(3, "small"))).status).toBe(200);
    expect(await storedIds()).toEqual(["small-0", "small-1", "small-2"]);
    expect((await table.items()).filter((item) => item.Type === "ComplianceChunk")).toEqual([]);
  });

  it("a replacement interrupted before or after its chunks: the old items or the new ones, never a mix", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const big = itemsOf(8_000, "big");
    expect((await put(big)).status).toBe(200);
    // Interrupted after the new chunks, before the head names them: the old items.
    fault = { command: "PutItemCommand", fired: false };
    expect((await put(itemsOf(9_000, "next"))).status).toBe(500);
    expect(fault.fired).toBe(true);
    expect(await storedIds()).toEqual(big.map((item) => item.Id));
    // Interrupted while the new chunks are written: the old items.
    fault = { command: "BatchWriteItemCommand", fired: false };
    expect((await put(itemsOf(9_000, "again"))).status).toBe(500);
    expect(await storedIds()).toEqual(big.map((item) => item.Id));
    const result = await audit(table.db, table.name);
    expect(result.violations).toEqual([]);
    // A failed write takes its chunks back (a process killed before that leaves chunks no read reaches).
    expect(result.unreachable).toEqual([]);
    fault = undefined;
    expect((await put(itemsOf(9_000, "last"))).status).toBe(200);
    expect((await storedIds())[8_999]).toBe("last-8999");
  });

  it("one item over the size a stored item holds is ItemSizeLimitExceededException, listed for the operation", async () => {
    const details = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`key${i}`, "x".repeat(4000)]));
    const answer = await put([{ Id: "huge", Severity: "LOW", Status: "COMPLIANT", Title: "x", Details: details }]);
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("ItemSizeLimitExceededException");
  });
});
