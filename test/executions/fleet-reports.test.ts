/**
 * Issue 26: a fleet's reports on one run never refuse each other. 200 replayed nodes (each with
 * its own node credentials, making the agent's calls: ListInstanceAssociations, then the four
 * UpdateInstanceAssociationStatus reports of a run, managed-node.ts), 32 requests in flight,
 * through the real handlers on DynamoDB Local.
 *
 * Before issue 26 every report moved the association's head and the run's item in its
 * transaction, under the head's revision: 187 of 400 reports of 200 nodes were refused with
 * TooManyUpdates, which the agent does not retry. Now a report writes only the node's own items
 * and its target's counter shard (shared/store/counter-shards.ts), so none is refused, the counts
 * summed from the shards are exact, and MaxConcurrency and MaxErrors still decide by conditions.
 *
 * Issue 30: the same hot items when the run is pushed over the message channel (issue 28): 200
 * replayed agents over HTTP (run-command-agent.ts) get the run from GetMessages at once and
 * reply on the same command and run, 32 calls in flight; every reply lands and every count is
 * exact (the command's, the run's, the association's).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assertAuditClean } from "../reliability/audit.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call, invoke } from "../support/invoke.ts";
import { inBatches, ManagedNode } from "../support/managed-node.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

const FLEET = 200;
const IN_FLIGHT = 32;
// The pushed run's agents poll the channel over HTTP; a poll is held up to 1 s.
const server = useLocalEndpoint({ messagePollHoldMs: 1000 });
let fleet: ManagedNode[];

beforeAll(async () => {
  fleet = await ManagedNode.registerFleet(FLEET, [{ Key: "fleet", Value: "rollout" }]);
}, 120_000);

const byTag = [{ Key: "tag:fleet", Values: ["rollout"] }];
const create = async (extra: Record<string, unknown>) =>
  (
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: byTag,
      ...extra,
    })
  ).AssociationDescription.AssociationId as string;
const runOf = async (associationId: string) =>
  (await call("DescribeAssociationExecutions", { AssociationId: associationId })).AssociationExecutions[0];
const overviewOf = async (associationId: string) =>
  (await call("DescribeAssociation", { AssociationId: associationId })).AssociationDescription.Overview;

/** Every node of `nodes` polls once; the ones told to run this association (DetailedStatus Pending). */
async function released(nodes: readonly ManagedNode[], associationId: string): Promise<ManagedNode[]> {
  const due = await inBatches(nodes, IN_FLIGHT, async (node) => (await node.due()).includes(associationId));
  return nodes.filter((_, i) => due[i]);
}

/** Each node runs the association as the agent reports it; every report's HTTP status. */
async function runAll(nodes: readonly ManagedNode[], associationId: string, fails: (node: ManagedNode) => boolean) {
  const statuses = await inBatches(nodes, IN_FLIGHT, (node) =>
    node.run(associationId, fails(node) ? "Failed" : "Success"),
  );
  return statuses.flat();
}

describe("200 nodes replying on one pushed run at once, 32 calls in flight (issue 30)", () => {
  it("every reply lands; the command's, the run's and the association's counts are exact", async () => {
    const id = await create({});
    const failing = new Set(fleet.filter((_, i) => i % 20 === 3).map((node) => node.id));
    const agents = fleet.map((node) => new ReplayedAgent(server, node.id, node.identity));
    // Each agent: its poll hands it the run (MaxConcurrency unset: every node at once), then the
    // agent's sequence: InProgress reply, AcknowledgeMessage, the plugin's reply, the final reply.
    const commands = await inBatches(agents, IN_FLIGHT, async (agent) => {
      const message = await agent.next();
      const payload = await agent.receive(message);
      if (!payload) throw new Error(`${agent.instanceId} could not parse its run`);
      const fails = failing.has(agent.instanceId);
      await agent.run(message, payload, shellOutcome(fails ? { status: "Failed", stderr: "exit 1" } : {}));
      return payload.CommandId;
    });
    // ReplayedAgent.call throws on any answer but 200: none was refused. One command for the run.
    expect(agents.flatMap((agent) => agent.calls).filter((c) => c.status !== 200)).toEqual([]);
    expect(new Set(commands).size).toBe(1);
    const run = await runOf(id);
    expect(run).toMatchObject({ Status: "Failed", ResourceCountByStatus: "{Success=190,Failed=10}" });
    expect((await overviewOf(id)).AssociationStatusAggregatedCount).toEqual({ Success: 190, Failed: 10 });
    const { Commands } = await call("ListCommands", { CommandId: commands[0] });
    expect(Commands[0]).toMatchObject({ TargetCount: FLEET, CompletedCount: FLEET, ErrorCount: 10 });
    const failed = await call("DescribeAssociationExecutionTargets", {
      AssociationId: id,
      ExecutionId: run.ExecutionId,
      Filters: [{ Key: "Status", Value: "Failed" }],
    });
    expect(failed.AssociationExecutionTargets.map((t: { ResourceId: string }) => t.ResourceId).sort()).toEqual(
      [...failing].sort(),
    );
    // Nothing is left for any node: no second delivery, no run at the poll.
    expect((await inBatches(agents, IN_FLIGHT, (agent) => agent.poll())).flat()).toEqual([]);
    expect((await released(fleet, id)).length).toBe(0);
    await assertAuditClean(server.table);
    await call("DeleteAssociation", { AssociationId: id });
  });
});

describe("200 nodes reporting on one run, 32 in flight (issue 26)", () => {
  it("all 800 reports are accepted, and the run's and the association's counts are exact", async () => {
    const id = await create({});
    const told = await released(fleet, id);
    expect(told).toHaveLength(FLEET);
    const failing = new Set(fleet.filter((_, i) => i % 20 === 7).map((node) => node.id));
    const statuses = await runAll(fleet, id, (node) => failing.has(node.id));
    expect(statuses).toHaveLength(FLEET * 4);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const run = await runOf(id);
    expect(run).toMatchObject({ Status: "Failed", ResourceCountByStatus: "{Success=190,Failed=10}" });
    expect(await overviewOf(id)).toEqual({
      Status: "Failed",
      DetailedStatus: "Failed",
      AssociationStatusAggregatedCount: { Success: 190, Failed: 10 },
    });
    const targets = await call("DescribeAssociationExecutionTargets", {
      AssociationId: id,
      ExecutionId: run.ExecutionId,
      Filters: [{ Key: "Status", Value: "Failed" }],
    });
    expect(targets.AssociationExecutionTargets.map((t: { ResourceId: string }) => t.ResourceId).sort()).toEqual(
      [...failing].sort(),
    );
    await assertAuditClean(server.table);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("MaxConcurrency 10% and MaxErrors 1% (2): never more than 20 run at once, and the 3rd error stops the run exactly", async () => {
    const id = await create({ MaxConcurrency: "10%", MaxErrors: "1%" });
    let waiting = [...fleet];
    let ran = 0;
    let errors = 0;
    // Rounds: every waiting node polls, then those told to run run it, 32 requests in flight.
    // In rounds 2, 3 and 4 the first node told to run fails: the 3rd error (MaxErrors 2 + 1)
    // lands in round 4, and after it no node is told to run again.
    for (let round = 1; ; round++) {
      const told = await released(waiting, id);
      if (errors > 2) {
        expect(told).toEqual([]);
        break;
      }
      // 20 shards of one slot each (20 = MaxConcurrency), each with waiting nodes: exactly 20.
      expect(told).toHaveLength(20);
      const failing = round >= 2 && round <= 4 ? told[0] : undefined;
      const statuses = await runAll(told, id, (node) => node === failing);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      ran += told.length;
      if (failing) errors++;
      waiting = waiting.filter((node) => !told.includes(node));
    }
    expect(ran).toBe(80);
    const run = await runOf(id);
    expect(run).toMatchObject({ Status: "Failed", ResourceCountByStatus: "{Success=77,Failed=3,Skipped=120}" });
    expect((await overviewOf(id)).AssociationStatusAggregatedCount).toEqual({ Success: 77, Failed: 3, Skipped: 120 });
    await assertAuditClean(server.table);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("MaxConcurrency 20 and MaxErrors 0: one error among 20 running stops the rest, and the 19 others still land", async () => {
    const id = await create({ MaxConcurrency: "20", MaxErrors: "0" });
    const told = await released(fleet, id);
    expect(told).toHaveLength(20);
    const statuses = await runAll(told, id, (node) => node === told[5]);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await released(fleet, id)).toEqual([]);
    expect(await runOf(id)).toMatchObject({
      Status: "Failed",
      ResourceCountByStatus: "{Success=19,Failed=1,Skipped=180}",
    });
    await assertAuditClean(server.table);
    await call("DeleteAssociation", { AssociationId: id });
  });
});

describe("everything else 200 nodes write at once, 32 in flight (issue 26)", () => {
  it("heartbeats, compliance items and inventory with a new custom type: none refused; the type registered and counted once", async () => {
    const captured = "2026-12-07T10:00:00Z";
    const answers = await inBatches(fleet, IN_FLIGHT, async (node, i) => [
      // The agent's heartbeat (agent/health/healthcheck.go: UpdateInstanceInformation).
      await invoke(
        "UpdateInstanceInformation",
        { InstanceId: node.id, AgentStatus: "Active", AgentVersion: "3.3.987.0", PlatformType: "Linux" },
        { identity: node.identity },
      ),
      await invoke(
        "PutComplianceItems",
        {
          ResourceId: node.id,
          ResourceType: "ManagedInstance",
          ComplianceType: "Custom:Fleet",
          ExecutionSummary: { ExecutionTime: new Date(captured).getTime() / 1000 },
          Items: [{ Id: "check", Severity: "HIGH", Status: i % 2 ? "COMPLIANT" : "NON_COMPLIANT" }],
        },
        { identity: node.identity },
      ),
      // Every node's first put of a custom type no node has registered yet.
      await invoke(
        "PutInventory",
        {
          InstanceId: node.id,
          Items: [
            { TypeName: "Custom:Rack", SchemaVersion: "1.0", CaptureTime: captured, Content: [{ Rack: `r${i % 7}` }] },
          ],
        },
        { identity: node.identity },
      ),
    ]);
    expect(
      answers
        .flat()
        .filter((answer) => answer.status !== 200)
        .map((answer) => answer.body),
    ).toEqual([]);
    const items = await server.table.items();
    expect(items.filter((item) => item.Type === "CustomInventoryType").map((item) => item.TypeName)).toEqual([
      "Custom:Rack",
    ]);
    expect(items.find((item) => item.SK === "COUNTER#CustomInventoryTypes")?.Count).toBe(1);
    expect(items.filter((item) => item.Type === "InventoryType" && item.TypeName === "Custom:Rack")).toHaveLength(
      FLEET,
    );
    const summaries = await call("ListComplianceSummaries", {
      Filters: [{ Key: "ComplianceType", Values: ["Custom:Fleet"], Type: "EQUAL" }],
    });
    expect(summaries.ComplianceSummaryItems[0]).toMatchObject({
      CompliantSummary: { CompliantCount: FLEET / 2 },
      NonCompliantSummary: { NonCompliantCount: FLEET / 2 },
    });
    await assertAuditClean(server.table);
  });
});
