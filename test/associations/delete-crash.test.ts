/**
 * DeleteAssociation interrupted (found by the fault run, test/reliability/faults.ts): the delete
 * was a transaction (head, slot, reference, pair) followed by batch deletes of the runs, their
 * targets and the nodes' statuses, so DynamoDB killed in between left runs and statuses of an
 * association that no longer existed. Here the crash is deterministic: the k-th DynamoDB call of
 * the delete fails, before it reaches DynamoDB or after DynamoDB applied it, for every k. After
 * each, the audit (test/reliability/audit.ts) finds nothing half-written: the association is
 * whole or gone, and what a big one leaves (its tombstone) the scheduler's next tick finishes.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "../reliability/audit.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const NODES = ["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"];
let fault: { at: number; after: boolean; seen: number; fired: boolean } | undefined;

beforeAll(async () => {
  table = await freshTable();
  // Every injected failure is logged by the handler as an unhandled error: expected here.
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  table.db.middlewareStack.add(
    (next) => async (args) => {
      if (!fault) return next(args);
      fault.seen += 1;
      if (fault.seen !== fault.at) return next(args);
      fault.fired = true;
      if (!fault.after) throw new Error("connect ECONNREFUSED (injected)");
      await next(args);
      throw new Error("socket hang up (injected, after DynamoDB applied the call)");
    },
    { step: "initialize", name: "injectFault" },
  );
  for (const node of NODES) await call("UpdateInstanceInformation", { InstanceId: node, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "crashed", Content: commandContent() });
});

/** An association with a run per version, each with a target per node; `updates` more versions. */
async function association(updates: number): Promise<string> {
  const { AssociationDescription } = await call("CreateAssociation", {
    Name: "crashed",
    Targets: [{ Key: "InstanceIds", Values: NODES }],
  });
  const id = AssociationDescription.AssociationId as string;
  for (let v = 1; v <= updates; v++) {
    await call("UpdateAssociation", { AssociationId: id, Parameters: { message: [`v${v}`] } });
  }
  return id;
}

/** Deletes with the k-th call failing; true if it fired. Then: nothing half-written, and the delete completes. */
async function crashAt(id: string, at: number, after: boolean): Promise<boolean> {
  fault = { at, after, seen: 0, fired: false };
  const answer = await invoke("DeleteAssociation", { AssociationId: id });
  const fired = fault.fired;
  fault = undefined;
  if (!fired) expect(answer.status).toBe(200);
  const after1 = await audit(table.db, table.name);
  expect(after1.violations, `k=${at} after=${after}`).toEqual([]);
  // Whole or gone: a retry (or the tick, for a tombstone) completes it.
  const described = await invoke("DescribeAssociation", { AssociationId: id });
  if (described.status === 200) expect((await invoke("DeleteAssociation", { AssociationId: id })).status).toBe(200);
  await table.services.scheduler.tick();
  const done = await audit(table.db, table.name);
  expect(done.violations).toEqual([]);
  expect(done.pending).toEqual([]);
  expect((await table.items()).filter((item) => String(item.PK).includes(id))).toEqual([]);
  return fired;
}

/** How many DynamoDB calls a delete of this shape makes. */
async function callsOfDelete(updates: number): Promise<number> {
  const id = await association(updates);
  fault = { at: Number.MAX_SAFE_INTEGER, after: false, seen: 0, fired: false };
  expect((await invoke("DeleteAssociation", { AssociationId: id })).status).toBe(200);
  const seen = fault.seen;
  fault = undefined;
  return seen;
}

describe("DeleteAssociation interrupted at every DynamoDB call", () => {
  it("an association with runs and versions: whole or gone at every k, nothing left behind", async () => {
    const calls = await callsOfDelete(3);
    for (let at = 1; at <= calls; at++) {
      for (const after of [false, true]) {
        expect(await crashAt(await association(3), at, after)).toBe(true);
      }
    }
  });

  it("one too big for a transaction: a tombstone with the head, finished by the scheduler's tick", async () => {
    // 40 versions, each with a run of 2 targets: over 100 items.
    const calls = await callsOfDelete(40);
    expect(calls).toBeGreaterThan(10);
    for (const at of [1, 2, Math.floor(calls / 2), calls - 1, calls]) {
      expect(await crashAt(await association(40), at, at % 2 === 0)).toBe(true);
    }
  });
});
