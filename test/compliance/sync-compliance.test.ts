/**
 * SyncCompliance through the real handlers with the agent's own report sequence
 * (test/support/managed-node.ts: Pending, InProgress, InProgress with the plugin summary, then the
 * final status, signed with the node's credentials). The model: "In AUTO mode, the system uses
 * the status of the association execution to determine the compliance status. If the association
 * execution runs successfully, then the association is COMPLIANT. If the association execution
 * doesn't run successfully, the association is NON-COMPLIANT. In MANUAL mode ... compliance data
 * isn't managed by State Manager. It is managed by your direct call to the PutComplianceItems API
 * operation. By default, all associations use AUTO mode."
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
});

const associationItems = async (node: ManagedNode) =>
  (
    await call("ListComplianceItems", {
      ResourceIds: [node.id],
      ResourceTypes: ["ManagedInstance"],
      Filters: [{ Key: "ComplianceType", Values: ["Association"] }],
    })
  ).ComplianceItems as { Id: string; Status: string; Severity: string }[];

const create = async (node: ManagedNode, extra: Record<string, unknown> = {}) =>
  (
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
      ComplianceSeverity: "HIGH",
      ...extra,
    })
  ).AssociationDescription.AssociationId as string;

describe("SyncCompliance", () => {
  it("AUTO (the default): the service writes the association's item from the agent's final report only", async () => {
    const node = await ManagedNode.register();
    const id = await create(node);
    expect(await node.due()).toEqual([id]);
    // Pending and InProgress say nothing about compliance yet.
    for (const [status, message] of [
      ["Pending", "Association is pending"],
      ["InProgress", "Executing association"],
    ]) {
      expect((await node.report(id, status as string, message as string)).status).toBe(200);
      expect(await associationItems(node)).toEqual([]);
    }
    expect((await node.report(id, "Success", "1 out of 1 plugin processed, 1 success")).status).toBe(200);
    expect(await associationItems(node)).toEqual([
      expect.objectContaining({ Id: id, Status: "COMPLIANT", Severity: "HIGH" }),
    ]);
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    expect(await node.due()).toEqual([id]);
    expect(await node.run(id, "Failed")).toEqual([200, 200, 200, 200]);
    expect(await associationItems(node)).toEqual([expect.objectContaining({ Id: id, Status: "NON_COMPLIANT" })]);
  });

  it("MANUAL: the agent's reports write no item; only PutComplianceItems does, and a later run leaves it", async () => {
    const node = await ManagedNode.register();
    const id = await create(node, { SyncCompliance: "MANUAL" });
    expect(await node.due()).toEqual([id]);
    expect(await node.run(id, "Success")).toEqual([200, 200, 200, 200]);
    expect(await associationItems(node)).toEqual([]);
    await call("PutComplianceItems", {
      ResourceId: node.id,
      ResourceType: "ManagedInstance",
      ComplianceType: "Association",
      ExecutionSummary: { ExecutionTime: Date.now() / 1000 },
      Items: [{ Id: id, Severity: "CRITICAL", Status: "NON_COMPLIANT", Title: "checked by hand" }],
    });
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    expect(await node.run(id, "Success")).toEqual([200, 200, 200, 200]);
    expect(await associationItems(node)).toEqual([
      expect.objectContaining({ Id: id, Status: "NON_COMPLIANT", Severity: "CRITICAL" }),
    ]);
    const { AssociationDescription } = await call("DescribeAssociation", { AssociationId: id });
    expect(AssociationDescription.SyncCompliance).toBe("MANUAL");
  });
});
