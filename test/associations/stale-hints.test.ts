/**
 * Stale association index hints (issue 15, RELIABILITY.md's Open list): an `ALOOKUP#` item under
 * a key its association no longer has. Harmless (the head's `appliesTo` is the authority) but
 * before, never deleted: each cost every later view of a node under that key a head read, and
 * the audit lists it as unreachable. Now the node's view that reads such a head drops the hint,
 * on condition that it is no newer than the head (shared/domain/associations/stale-hints.ts), so
 * the early hint of an update in flight is kept. The stale hints here come from injected faults:
 * the late delete of a key an update dropped, and an update's transaction after its early puts.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "../reliability/audit.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const NODE = "i-0eeeeeeeeeeeeeee1";
let table: TestTable;
let failing: string | undefined;

beforeAll(async () => {
  table = await freshTable();
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (failing && context.commandName === failing) throw new Error("connect ECONNREFUSED (injected)");
      return next(args);
    },
    { step: "initialize", name: "injectFault" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
});

/** Tag targets of 100 lookup keys: a change to or from them does not fit one transaction. */
const manyTags = [
  { Key: "tag:x", Values: Array.from({ length: 50 }, (_, i) => `x${i}`) },
  { Key: "tag:y", Values: Array.from({ length: 50 }, (_, i) => `y${i}`) },
];
const onNode = [{ Key: "InstanceIds", Values: [NODE] }];

const hintsUnderNode = async (associationId: string) =>
  (await table.items()).filter(
    (item) => item.Type === "AssociationLookup" && item.SK === associationId && String(item.PK).includes(NODE),
  );
const viewOfNode = async () =>
  (await call("DescribeEffectiveInstanceAssociations", { InstanceId: NODE })).Associations.map(
    (a: { AssociationId: string }) => a.AssociationId,
  );

describe("stale index hints are dropped by the node's view that reads them", () => {
  it("a key an update dropped whose late delete was lost: the next view of the node drops it; the audit ends clean", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: onNode,
    });
    // The update commits, then its delete of the node's key fails (a crash after the commit).
    failing = "DeleteItemCommand";
    expect((await invoke("UpdateAssociation", { AssociationId: a.AssociationId, Targets: manyTags })).status).toBe(500);
    failing = undefined;
    const described = await call("DescribeAssociation", { AssociationId: a.AssociationId });
    expect(described.AssociationDescription.Targets).toEqual(manyTags);
    expect(await hintsUnderNode(a.AssociationId)).toHaveLength(1);
    const before = await audit(table.db, table.name);
    expect(before.violations).toEqual([]);
    expect(before.unreachable).toEqual([expect.stringContaining("no longer has that key")]);

    expect(await viewOfNode()).not.toContain(a.AssociationId);
    expect(await hintsUnderNode(a.AssociationId)).toEqual([]);
    expect(await audit(table.db, table.name)).toMatchObject({ violations: [], unreachable: [] });
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
  });

  it("an update's early hint newer than the head is kept (it can't be told from an update in flight) until the head moves past it", async () => {
    const { AssociationDescription: b } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: manyTags,
    });
    // The node's key is put before the transaction, which then fails: a hint for revision 1 of a head at 0.
    failing = "TransactWriteItemsCommand";
    expect((await invoke("UpdateAssociation", { AssociationId: b.AssociationId, Targets: onNode })).status).toBe(500);
    failing = undefined;
    expect(await hintsUnderNode(b.AssociationId)).toHaveLength(1);
    expect(await viewOfNode()).not.toContain(b.AssociationId);
    expect(await hintsUnderNode(b.AssociationId)).toHaveLength(1);

    // The head moves past it (a change that keeps the tag targets): now it is stale, and dropped.
    await call("UpdateAssociation", { AssociationId: b.AssociationId, Targets: manyTags, MaxConcurrency: "5" });
    expect(await viewOfNode()).not.toContain(b.AssociationId);
    expect(await hintsUnderNode(b.AssociationId)).toEqual([]);
    expect(await audit(table.db, table.name)).toMatchObject({ violations: [], unreachable: [] });
  });

  it("an association that applies keeps its hint", async () => {
    const { AssociationDescription: c } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: onNode,
    });
    expect(await viewOfNode()).toContain(c.AssociationId);
    expect(await hintsUnderNode(c.AssociationId)).toHaveLength(1);
  });
});
