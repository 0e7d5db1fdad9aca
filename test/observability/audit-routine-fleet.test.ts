/**
 * The audit trail's counts of a fleet's routine calls (shared/domain/audit/audit.ts): one window
 * of a function instance that many nodes called (a fleet's heartbeats: 20,000 nodes send 4,000 a
 * minute, and `npm start` is one instance for all of them) is written whole, each record within
 * DynamoDB's 400 KB item limit, no count lost. Found while sizing the trail for the cost model
 * (issue 30: an entry is about 90 bytes, so one record per window held at most about 4,400 nodes).
 */
import { describe, expect, it } from "vitest";
import { AuditTrail } from "../../shared/domain/audit/audit.ts";
import type { RoutineCount } from "../../shared/domain/audit/records.ts";
import { DynamoAuditStore } from "../../shared/store/audit-store.ts";
import { freshTable } from "../support/table.ts";

/** DynamoDB's item size limit. */
const ITEM_LIMIT = 400 * 1024;
const NODES = 6_000;

describe("the audit trail's routine counts of a big fleet", () => {
  it(`${NODES} nodes' heartbeats in one window: every count written, each record under 400 KB`, async () => {
    const table = await freshTable();
    const now = new Date("2026-12-07T12:00:00Z");
    const trail = new AuditTrail(new DynamoAuditStore(table.db, table.name), () => now);
    for (let i = 0; i < NODES; i++) {
      const nodeId = `mi-${i.toString(16).padStart(17, "0")}`;
      await trail.observe({
        time: now,
        requestId: `request-${i}`,
        operation: "UpdateInstanceInformation",
        caller: {
          accountId: "000000000000",
          region: "us-east-1",
          arn: `arn:aws:sts::000000000000:assumed-role/SSMServiceRole/${nodeId}`,
          nodeId,
        },
        parameters: {},
        status: 200,
      });
    }
    await trail.flush();
    const records = (await table.auditItems()).filter((item) => item.Type === "AuditRoutineCalls");
    const counts = records.flatMap((record) => record.Counts as RoutineCount[]);
    expect(counts).toHaveLength(NODES);
    expect(new Set(counts.map((c) => c.NodeId)).size).toBe(NODES);
    expect(counts.every((c) => c.Calls === 1 && c.Operation === "UpdateInstanceInformation")).toBe(true);
    for (const record of records) expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThan(ITEM_LIMIT);
  });
});
