/**
 * Compliance chunks an interrupted upload left (issue 15, RELIABILITY.md's Open list): a process
 * killed between writing a big upload's chunks and flipping its head leaves chunks that no head
 * names. No read reaches them (the audit lists them as unreachable); before, nothing ever deleted
 * them. Now the next upload of the same resource and type deletes them once its own head has
 * flipped (shared/store/compliance-store.ts). The kill is injected: from the head's write on,
 * every DynamoDB call fails (so the failed upload cannot take its chunks back either).
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "../reliability/audit.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const NODE = "i-0ccccccccccccccc9";
let table: TestTable;
/** Once `from` is called, it and every later call fail before reaching DynamoDB (the process is gone). */
let crash: { from: string; dead: boolean } | undefined;

beforeAll(async () => {
  table = await freshTable();
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (crash && (crash.dead || context.commandName === crash.from)) {
        crash.dead = true;
        throw new Error("connect ECONNREFUSED (injected)");
      }
      return next(args);
    },
    { step: "initialize", name: "injectCrash" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
});

const itemsOf = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({
    Id: `${prefix}-${i}`,
    Title: `t${i}`,
    Severity: "LOW",
    Status: i % 2 === 0 ? "COMPLIANT" : "NON_COMPLIANT",
  }));

const put = (ComplianceType: string, items: unknown[]) =>
  invoke("PutComplianceItems", {
    ResourceId: NODE,
    ResourceType: "ManagedInstance",
    ComplianceType,
    ExecutionSummary: { ExecutionTime: 1795600000 },
    Items: items,
  });

/** An upload of `count` items killed after its chunks, before its head: it answers 500. */
async function killedUpload(type: string, count: number, prefix: string): Promise<void> {
  crash = { from: "PutItemCommand", dead: false };
  expect((await put(type, itemsOf(count, prefix))).status).toBe(500);
  expect(crash.dead).toBe(true);
  crash = undefined;
}

const chunksOf = async (type: string) =>
  (await table.items()).filter((item) => item.Type === "ComplianceChunk" && item.ComplianceType === type);

describe("compliance chunks an interrupted upload left are swept by the next upload of the type", () => {
  it("a first upload killed before its head: the next upload deletes its chunks", async () => {
    await killedUpload("Custom:First", 8_000, "lost");
    const before = await audit(table.db, table.name);
    expect(before.violations).toEqual([]);
    expect(before.unreachable.length).toBeGreaterThan(0);
    expect((await chunksOf("Custom:First")).length).toBeGreaterThan(1);

    expect((await put("Custom:First", itemsOf(3, "small"))).status).toBe(200);
    expect(await chunksOf("Custom:First")).toEqual([]);
    const after = await audit(table.db, table.name);
    expect(after).toMatchObject({ violations: [], unreachable: [] });
  });

  it("a replacement killed before its head: the next upload deletes its chunks, keeps its own and the other types'", async () => {
    expect((await put("Custom:Other", itemsOf(8_000, "other"))).status).toBe(200);
    expect((await put("Custom:Replaced", itemsOf(8_000, "old"))).status).toBe(200);
    await killedUpload("Custom:Replaced", 9_000, "lost");
    // Another type's leftovers are not this upload's to sweep (an upload of that type may be in flight).
    await killedUpload("Custom:Other", 9_000, "lost");
    expect((await audit(table.db, table.name)).unreachable.length).toBeGreaterThan(0);

    expect((await put("Custom:Replaced", itemsOf(8_500, "new"))).status).toBe(200);
    const listed = await call("ListComplianceItems", {
      ResourceIds: [NODE],
      ResourceTypes: ["ManagedInstance"],
      Filters: [{ Key: "ComplianceType", Values: ["Custom:Replaced"] }],
      MaxResults: 50,
    });
    expect(listed.ComplianceItems[0].Id).toMatch(/^new-/);
    const replaced = new Set((await chunksOf("Custom:Replaced")).map((item) => item.Generation));
    expect(replaced.size).toBe(1);
    const mid = await audit(table.db, table.name);
    expect(mid.violations).toEqual([]);
    expect(mid.unreachable.every((line) => line.includes("CHUNK#Custom:Other#"))).toBe(true);
    expect(mid.unreachable.length).toBeGreaterThan(0);

    expect((await put("Custom:Other", itemsOf(2, "other-small"))).status).toBe(200);
    expect(await audit(table.db, table.name)).toMatchObject({ violations: [], unreachable: [] });
  });
});
