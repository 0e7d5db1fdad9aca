/** UpdateAssociationStatus, as the seed pages describe it. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const NODE = "i-1234567890abcdef0";

beforeAll(async () => {
  table = await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE });
});

const pending = {
  Date: 1424421071.939,
  Name: "Pending",
  Message: "temp_status_change",
  AdditionalInfo: "Additional-Config-Needed",
};

describe("UpdateAssociationStatus", () => {
  it("sets the status of a legacy association and answers its full description (the seed example)", async () => {
    const { AssociationDescription: d } = await call("UpdateAssociationStatus", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: NODE,
      AssociationStatus: pending,
    });
    expect(d).toMatchObject({
      Name: "AWS-UpdateSSMAgent",
      InstanceId: NODE,
      AssociationVersion: "1",
      DocumentVersion: "$DEFAULT",
      Status: {
        Date: 1424421071,
        Name: "Pending",
        Message: "temp_status_change",
        AdditionalInfo: "Additional-Config-Needed",
      },
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
    });
    expect(d.LastUpdateAssociationDate).toBeGreaterThan(d.Date);
    const described = await call("DescribeAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE });
    expect(described.AssociationDescription.Status).toEqual(d.Status);
  });

  it("StatusUnchanged for the same status again, writing nothing", async () => {
    const before = await table.items();
    expect(
      await fails("UpdateAssociationStatus", {
        Name: "AWS-UpdateSSMAgent",
        InstanceId: NODE,
        AssociationStatus: pending,
      }),
    ).toMatchObject({ status: 400, type: "StatusUnchanged" });
    expect(await table.items()).toEqual(before);
  });

  it("InvalidDocument, InvalidInstanceId, AssociationDoesNotExist, ValidationException", async () => {
    const status = { ...pending, Name: "Success" };
    expect(
      (await fails("UpdateAssociationStatus", { Name: "no-such-doc", InstanceId: NODE, AssociationStatus: status }))
        .type,
    ).toBe("InvalidDocument");
    expect(
      (
        await fails("UpdateAssociationStatus", {
          Name: "AWS-UpdateSSMAgent",
          InstanceId: "i-0aaaaaaaaaaaaaaa9",
          AssociationStatus: status,
        })
      ).type,
    ).toBe("InvalidInstanceId");
    expect(
      (
        await fails("UpdateAssociationStatus", {
          Name: "AWS-RunShellScript",
          InstanceId: NODE,
          AssociationStatus: status,
        })
      ).type,
    ).toBe("AssociationDoesNotExist");
    expect(
      (
        await fails("UpdateAssociationStatus", {
          Name: "AWS-UpdateSSMAgent",
          InstanceId: NODE,
          AssociationStatus: { ...status, Name: "Done" },
        })
      ).type,
    ).toBe("ValidationException");
  });

  it("20 concurrent calls: one success per distinct change, TooManyUpdates or StatusUnchanged for the rest, nothing lost", async () => {
    await call("CreateDocument", {
      Name: "legacy-doc",
      Content: JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": { properties: [] } } }),
    });
    await call("CreateAssociation", { Name: "legacy-doc", InstanceId: NODE });
    const names = ["Success", "Failed"];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        invoke("UpdateAssociationStatus", {
          Name: "legacy-doc",
          InstanceId: NODE,
          AssociationStatus: { Date: 1700000000 + i, Name: names[i % 2], Message: `call-${i}` },
        }),
      ),
    );
    const won = answers.flatMap((answer, i) => (answer.status === 200 ? [i] : []));
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(["TooManyUpdates", "StatusUnchanged"]).toContain(answer.body.__type);
    }
    expect(won.length).toBeGreaterThanOrEqual(1);
    // Each success is a change from the status before it, and the last one is what is stored.
    const stored = (await call("DescribeAssociation", { Name: "legacy-doc", InstanceId: NODE })).AssociationDescription;
    const messages = won.map((i) => `call-${i}`);
    expect(messages).toContain(stored.Status.Message);
    const head = (await table.items()).find(
      (item) => item.Type === "Association" && item.DocumentName === "legacy-doc",
    );
    expect(head?.Revision).toBe(won.length);
  });
});

describe("DeleteDocument of a document in use by a legacy association", () => {
  it("can't be deleted", async () => {
    expect((await fails("DeleteDocument", { Name: "legacy-doc" })).type).toBe("AssociatedInstances");
  });
});
