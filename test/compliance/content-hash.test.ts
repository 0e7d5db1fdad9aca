/**
 * PutComplianceItems' ItemContentHash: "MD5 or SHA-256 content hash. The content hash is used to
 * determine if existing information should be overwritten or ignored. If the content hashes match,
 * the request to put compliance information is ignored." (API reference, PutComplianceItems; the
 * service model's ComplianceItemContentHash, a string of at most 256). Ignored entirely: items,
 * summaries and the execution time stay as the upload that sent the hash first left them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AgentComplianceUploader } from "../support/agent-compliance.ts";
import { call, invoke } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

let node: ManagedNode;
/** The wire's ExecutionTime: epoch seconds. */
const seconds = (time: string) => Date.parse(time) / 1000;

beforeAll(async () => {
  await freshTable();
  node = await ManagedNode.register();
});

const itemsOf = async (type: string) =>
  (
    await call("ListComplianceItems", {
      ResourceIds: [node.id],
      Filters: [{ Key: "ComplianceType", Values: [type] }],
    })
  ).ComplianceItems;

const summaryOf = async (type: string) =>
  (
    await call("ListResourceComplianceSummaries", {
      Filters: [
        { Key: "ComplianceType", Values: [type] },
        { Key: "ResourceId", Values: [node.id] },
      ],
    })
  ).ResourceComplianceSummaryItems;

const put = async (type: string, time: string, items: { Id: string; Status: string }[], hash?: string) => {
  const answer = await invoke(
    "PutComplianceItems",
    {
      ResourceId: node.id,
      ResourceType: "ManagedInstance",
      ComplianceType: type,
      ExecutionSummary: { ExecutionTime: Date.parse(time) / 1000 },
      Items: items.map((item) => ({ ...item, Severity: "HIGH" })),
      ...(hash ? { ItemContentHash: hash } : {}),
    },
    { identity: node.identity },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
};

describe("the agent's association compliance (agent/association/compliance/uploader/uploader.go)", () => {
  it("its unchanged upload (the same hash, Items []) is ignored: the items, the summary and the execution time stay", async () => {
    const agent = new AgentComplianceUploader(node);
    const ran = new Date("2026-12-08T01:00:00.123Z");
    expect((await agent.upload("assoc-1", "AWS-RunShellScript", "1", "Success", ran)).status).toBe(200);
    const items = await itemsOf("Association");
    expect(items).toEqual([
      expect.objectContaining({ Id: "assoc-1", Status: "COMPLIANT", ExecutionSummary: expect.anything() }),
    ]);
    expect(items[0].ExecutionSummary.ExecutionTime).toBe(ran.getTime() / 1000);
    const summary = await summaryOf("Association");
    // The agent's path when its entries did not change (the same execution time): hash alone.
    const again = agent.request("assoc-1", "AWS-RunShellScript", "1", "Success", ran);
    expect(again.body.Items).toEqual([]);
    expect((await agent.upload("assoc-1", "AWS-RunShellScript", "1", "Success", ran)).status).toBe(200);
    expect(await itemsOf("Association")).toEqual(items);
    expect(await summaryOf("Association")).toEqual(summary);
  });

  it("its next run (a new execution time, so a new hash) is written", async () => {
    const agent = new AgentComplianceUploader(node);
    await agent.upload("assoc-2", "AWS-RunShellScript", "1", "Success", new Date("2026-12-08T01:00:00Z"));
    const next = new Date("2026-12-08T01:30:00Z");
    expect((await agent.upload("assoc-2", "AWS-RunShellScript", "1", "Failed", next)).status).toBe(200);
    const items = await itemsOf("Association");
    expect(items).toEqual([expect.objectContaining({ Id: "assoc-2", Status: "NON_COMPLIANT" })]);
    expect(items[0].ExecutionSummary.ExecutionTime).toBe(next.getTime() / 1000);
  });
});

describe("any client's ItemContentHash", () => {
  it("the same hash with other items and a later execution time: ignored, nothing changes", async () => {
    await put("Custom:Same", "2026-12-08T01:00:00Z", [{ Id: "a", Status: "COMPLIANT" }], "hash-1");
    const items = await itemsOf("Custom:Same");
    const summary = await summaryOf("Custom:Same");
    await put("Custom:Same", "2026-12-08T02:00:00Z", [{ Id: "b", Status: "NON_COMPLIANT" }], "hash-1");
    expect(await itemsOf("Custom:Same")).toEqual(items);
    expect(await summaryOf("Custom:Same")).toEqual(summary);
    expect(items).toEqual([expect.objectContaining({ Id: "a", Status: "COMPLIANT" })]);
    expect(items[0].ExecutionSummary.ExecutionTime).toBe(seconds("2026-12-08T01:00:00Z"));
  });

  it("a different hash: written", async () => {
    await put("Custom:Other", "2026-12-08T01:00:00Z", [{ Id: "a", Status: "COMPLIANT" }], "hash-1");
    await put("Custom:Other", "2026-12-08T02:00:00Z", [{ Id: "b", Status: "NON_COMPLIANT" }], "hash-2");
    const items = await itemsOf("Custom:Other");
    expect(items).toEqual([expect.objectContaining({ Id: "b", Status: "NON_COMPLIANT" })]);
    expect(items[0].ExecutionSummary.ExecutionTime).toBe(seconds("2026-12-08T02:00:00Z"));
    expect(await summaryOf("Custom:Other")).toEqual([expect.objectContaining({ Status: "NON_COMPLIANT" })]);
  });

  it("no hash: always written, and it clears the stored hash (the hash sent before then writes again)", async () => {
    await put("Custom:None", "2026-12-08T01:00:00Z", [{ Id: "a", Status: "COMPLIANT" }]);
    await put("Custom:None", "2026-12-08T02:00:00Z", [{ Id: "b", Status: "COMPLIANT" }]);
    expect(await itemsOf("Custom:None")).toEqual([expect.objectContaining({ Id: "b" })]);
    await put("Custom:None", "2026-12-08T03:00:00Z", [{ Id: "c", Status: "COMPLIANT" }], "hash-1");
    await put("Custom:None", "2026-12-08T04:00:00Z", [{ Id: "d", Status: "COMPLIANT" }]);
    await put("Custom:None", "2026-12-08T05:00:00Z", [{ Id: "e", Status: "NON_COMPLIANT" }], "hash-1");
    const items = await itemsOf("Custom:None");
    expect(items).toEqual([expect.objectContaining({ Id: "e", Status: "NON_COMPLIANT" })]);
    expect(items[0].ExecutionSummary.ExecutionTime).toBe(seconds("2026-12-08T05:00:00Z"));
  });
});
