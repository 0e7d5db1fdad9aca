/**
 * The SSM Agent's association loop, played end to end: a registered node lists the associations
 * that apply to it, fetches the document, reports InProgress then Success, and every view of the
 * association reflects it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import type { Identity } from "../support/identity.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
let nodeId: string;
let node: Identity;

async function registeredNode(): Promise<{ id: string; identity: Identity }> {
  const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  const token = (await agent.roleToken()).body;
  const identity = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
  };
  const id = agent.instanceId as string;
  await call(
    "UpdateInstanceInformation",
    { InstanceId: id, PlatformType: "Linux", AgentVersion: "3.3.0.0" },
    { identity },
  );
  return { id, identity };
}

beforeAll(async () => {
  table = await freshTable();
  ({ id: nodeId, identity: node } = await registeredNode());
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: nodeId,
    Tags: [{ Key: "env", Value: "prod" }],
  });
});

describe("the agent's association loop: ListInstanceAssociations, UpdateInstanceAssociationStatus, DescribeInstanceAssociationsStatus, DescribeEffectiveInstanceAssociations", () => {
  it("lists, runs, reports, and every view reflects it", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
      Parameters: { commands: ["echo hello"] },
      ScheduleExpression: "rate(30 minutes)",
    });
    const id = created.AssociationId;

    const first = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    expect(first.Associations).toHaveLength(1);
    const listed = first.Associations[0];
    expect(listed).toMatchObject({
      AssociationId: id,
      AssociationVersion: "1",
      DetailedStatus: "Pending",
      DocumentVersion: "$DEFAULT",
      InstanceId: nodeId,
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo hello"] },
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
    });
    // The agent is told when to run (DetailedStatus Pending), not given the schedule it would
    // otherwise run on its own clock, outside rate controls.
    expect(listed.ScheduleExpression).toBeUndefined();
    expect(listed.Checksum).toMatch(/^[0-9a-f]{64}$/);

    const document = await call("GetDocument", { Name: "AWS-RunShellScript" }, { identity: node });
    expect(JSON.parse(document.Content).runtimeConfig).toBeDefined();

    const report = (Status: string, ExecutionDate: number) =>
      call(
        "UpdateInstanceAssociationStatus",
        {
          AssociationId: id,
          InstanceId: nodeId,
          ExecutionResult: {
            Status,
            ExecutionDate,
            ExecutionSummary: `1 out of 1 plugin processed, ${Status}`,
            ErrorCode: "",
          },
        },
        { identity: node },
      );
    await report("InProgress", 1795600000);
    expect((await call("DescribeAssociation", { AssociationId: id })).AssociationDescription.Overview).toEqual({
      Status: "Pending",
      DetailedStatus: "InProgress",
      AssociationStatusAggregatedCount: { InProgress: 1 },
    });
    await report("Success", 1795600060);

    const { AssociationDescription: d } = await call("DescribeAssociation", { AssociationId: id });
    expect(d.Overview).toEqual({
      Status: "Success",
      DetailedStatus: "Success",
      AssociationStatusAggregatedCount: { Success: 1 },
    });
    expect(d.LastExecutionDate).toBe(1795600060);
    expect(d.LastSuccessfulExecutionDate).toBe(1795600060);

    const statuses = await call("DescribeInstanceAssociationsStatus", { InstanceId: nodeId });
    expect(statuses.InstanceAssociationStatusInfos).toEqual([
      expect.objectContaining({
        AssociationId: id,
        Name: "AWS-RunShellScript",
        AssociationVersion: "1",
        InstanceId: nodeId,
        Status: "Success",
        DetailedStatus: "Success",
        ExecutionDate: 1795600060,
        ExecutionSummary: "1 out of 1 plugin processed, Success",
      }),
    ]);

    const all = await call("ListAssociations", {
      AssociationFilterList: [{ key: "AssociationStatusName", value: "Success" }],
    });
    expect(all.Associations.map((a: { AssociationId: string }) => a.AssociationId)).toEqual([id]);

    const again = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    expect(again.Associations[0]).toMatchObject({
      DetailedStatus: "Success",
      Status: "Success",
      Checksum: listed.Checksum,
    });

    // An update that changes what runs makes the run due again, with a new checksum.
    await call("UpdateAssociation", {
      AssociationId: id,
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
      Parameters: { commands: ["echo changed"] },
    });
    const afterUpdate = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    expect(afterUpdate.Associations[0].DetailedStatus).toBe("Pending");
    expect(afterUpdate.Associations[0].Checksum).not.toBe(listed.Checksum);

    const effective = await call("DescribeEffectiveInstanceAssociations", { InstanceId: nodeId });
    expect(effective.Associations).toEqual([
      { AssociationId: id, InstanceId: nodeId, AssociationVersion: "2", Content: document.Content },
    ]);

    // The checksum is of what runs only (the document's content and the parameters), whatever
    // this process computed before: the old parameters again give the old checksum, and each
    // answer follows the association's latest version.
    await call("UpdateAssociation", { AssociationId: id, Parameters: { commands: ["echo hello"] } });
    const reverted = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    expect(reverted.Associations[0]).toMatchObject({ AssociationVersion: "3", Checksum: listed.Checksum });
    await call("UpdateAssociation", { AssociationId: id, Parameters: { commands: ["echo changed"] } });
    const changedAgain = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    expect(changedAgain.Associations[0].Checksum).toBe(afterUpdate.Associations[0].Checksum);

    await call("DeleteAssociation", { AssociationId: id });
    expect((await table.items()).filter((item) => String(item.PK).includes(id))).toEqual([]);
    expect((await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node })).Associations).toEqual(
      [],
    );
    expect(
      (await call("DescribeInstanceAssociationsStatus", { InstanceId: nodeId })).InstanceAssociationStatusInfos,
    ).toEqual([]);
  });

  it("applies InstanceIds, * and tag-key targets, and legacy associations, only to the nodes they name", async () => {
    const other = await registeredNode();
    const create = (targets: unknown) =>
      call("CreateAssociation", { Name: "AWS-GatherSoftwareInventory", Targets: targets }).then(
        (r) => r.AssociationDescription.AssociationId,
      );
    const byId = await create([{ Key: "InstanceIds", Values: [nodeId] }]);
    const everyone = await create([{ Key: "InstanceIds", Values: ["*"] }]);
    const byTagKey = await create([{ Key: "tag-key", Values: ["env"] }]);
    const legacy = (await call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: other.id }))
      .AssociationDescription.AssociationId;
    const idsFor = async (id: string, identity: Identity) =>
      (await call("ListInstanceAssociations", { InstanceId: id }, { identity })).Associations.map(
        (a: { AssociationId: string }) => a.AssociationId,
      ).sort();
    expect(await idsFor(nodeId, node)).toEqual([byId, everyone, byTagKey].sort());
    expect(await idsFor(other.id, other.identity)).toEqual([everyone, legacy].sort());
  });

  it("a node's credentials list and report only for that node", async () => {
    const other = await registeredNode();
    expect((await fails("ListInstanceAssociations", { InstanceId: nodeId }, { identity: other.identity })).type).toBe(
      "AccessDeniedException",
    );
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: ["*"] }],
    });
    expect(
      (
        await fails(
          "UpdateInstanceAssociationStatus",
          {
            AssociationId: a.AssociationId,
            InstanceId: nodeId,
            ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
          },
          { identity: other.identity },
        )
      ).type,
    ).toBe("AccessDeniedException");
    expect(
      (
        await fails("UpdateInstanceAssociationStatus", {
          AssociationId: "6d7c8f5e-1111-4222-8333-444455556666",
          InstanceId: nodeId,
          ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
        })
      ).type,
    ).toBe("AssociationDoesNotExist");
    expect((await fails("DescribeInstanceAssociationsStatus", { InstanceId: "i-0fffffffffffffff0" })).type).toBe(
      "InvalidInstanceId",
    );
  });

  it("rolls up concurrent reports from many nodes without losing one", async () => {
    const nodes = await Promise.all(Array.from({ length: 6 }, () => registeredNode()));
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: nodes.map((n) => n.id) }],
    });
    await Promise.all(
      nodes.map((n, i) =>
        call(
          "UpdateInstanceAssociationStatus",
          {
            AssociationId: a.AssociationId,
            InstanceId: n.id,
            ExecutionResult: { Status: i < 4 ? "Success" : "Failed", ExecutionDate: 1795600000 + i },
          },
          { identity: n.identity },
        ),
      ),
    );
    const { AssociationDescription: d } = await call("DescribeAssociation", { AssociationId: a.AssociationId });
    expect(d.Overview.AssociationStatusAggregatedCount).toEqual({ Success: 4, Failed: 2 });
    expect(d.Overview.Status).toBe("Failed");
  });
});
