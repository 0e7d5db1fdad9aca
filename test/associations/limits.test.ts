import { beforeAll, describe, expect, it } from "vitest";
import {
  ASSOCIATION_LIMIT,
  ASSOCIATION_VERSION_LIMIT,
  Associations,
} from "../../shared/domain/associations/associations.ts";
import { AssociationVersionLimitExceeded } from "../../shared/errors.ts";
import { DynamoAssociationStore } from "../../shared/store/association-store.ts";
import { call } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const scope = { accountId: "000000000000", region: "us-east-1" };
const target = [{ Key: "tag:a", Values: ["b"] }];

beforeAll(async () => {
  table = await freshTable();
});

describe("association limits", () => {
  it("are AWS's quotas by default", () => {
    expect(ASSOCIATION_LIMIT).toBe(2000);
    expect(ASSOCIATION_VERSION_LIMIT).toBe(1000);
  });

  it("refuse a version beyond the version limit", async () => {
    const store = new DynamoAssociationStore(table.db, table.name);
    const { documents, nodes, executions } = table.services;
    const associations = new Associations(store, documents, nodes, executions, 100, 3);
    const created = await associations.create(scope, { Name: "AWS-GatherSoftwareInventory", Targets: target });
    const id = created.AssociationId as string;
    await associations.update(scope, { AssociationId: id, Targets: target });
    await associations.update(scope, { AssociationId: id, Targets: target });
    await expect(associations.update(scope, { AssociationId: id, Targets: target })).rejects.toBeInstanceOf(
      AssociationVersionLimitExceeded,
    );
  });

  it("delete every version of an association with more versions than one transaction holds", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: target,
    });
    for (let i = 0; i < 99; i++) await call("UpdateAssociation", { AssociationId: a.AssociationId, Targets: target });
    const stored = async () => (await table.items()).filter((item) => String(item.PK).includes(a.AssociationId));
    // The head, 100 versions, and the run of the create and of each update (every update runs
    // it: issue 29, defect 6; their targets: none match).
    expect(await stored()).toHaveLength(201);
    await call("DeleteAssociation", { AssociationId: a.AssociationId });
    expect(await stored()).toEqual([]);
  }, 60_000);
});
