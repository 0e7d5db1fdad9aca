/**
 * A run's history expires as AWS's does (docs/runs.md, "How long a run is kept"): every item of a
 * run (the run, its targets, its counter shards) and of the command a push creates (its head,
 * payload, counters, gates, invocations, outputs) carries the table's TTL attribute `ExpiresAt`
 * (template.yaml TimeToLiveSpecification), 30 days after the run's creation or the command's
 * request: "Run Command stores the command history for 30 days" (the EC2 user guide's "Manage
 * Amazon EC2 Instances Remotely"); AWS publishes no retention of its own for association
 * executions, so a run is kept as long as the command that holds its output. Each run here is
 * created at a different time, so an item given another run's (or another clock's) expiry fails.
 */
import { describe, expect, it } from "vitest";
import { executionTime } from "../../shared/domain/executions/execution-id.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

const clock = { now: new Date("2027-05-01T10:00:00Z") };
const server = useLocalEndpoint({ messagePollHoldMs: 200, clock: () => clock.now });

const DAYS_30 = 30 * 24 * 3600;
/** Item types that belong to a run or to a command, and must expire. */
const RUN_TYPES = new Set(["AssociationExecution", "ExecutionTarget"]);
const COMMAND_TYPES = new Set([
  "Command",
  "CommandPayload",
  "CommandCount",
  "CommandGate",
  "Invocation",
  "InvocationOutput",
]);

describe("a run's history carries its expiry", () => {
  it("every item of each run and of each pushed command expires 30 days after the run's creation", async () => {
    const agent = await ReplayedAgent.register(server);
    // A node that never polls the channel: its part of a pushed run is taken over at its poll.
    const polled = (await ManagedNode.register([{ Key: "ttl", Value: "yes" }])).via(server);
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: agent.instanceId,
      Tags: [{ Key: "ttl", Value: "yes" }],
    });
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo kept"] },
      Targets: [{ Key: "tag:ttl", Values: ["yes"] }],
      MaxConcurrency: "1",
    });
    const id = created.AssociationId as string;
    const runOnce = async () => {
      // Whichever node's turn it is: the agent on the channel, the other at its association poll.
      for (let turn = 0; turn < 2; turn++) {
        const [message] = await agent.poll();
        if (message) {
          const payload = await agent.receive(message);
          if (payload) await agent.run(message, payload, shellOutcome({ stdout: "kept\n" }));
        }
        const due = await polled.due();
        if (due.includes(id)) await polled.run(id, "Success");
      }
    };
    await runOnce();
    // A second run, a day and a minute later: its items expire a day and a minute later.
    clock.now = new Date("2027-05-02T10:01:00Z");
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    await runOnce();
    const { AssociationExecutions: runs } = await call("DescribeAssociationExecutions", { AssociationId: id });
    expect(runs.map((run: { Status: string }) => run.Status)).toEqual(["Success", "Success"]);

    const items = await server.table.items();
    const expiryOf = (createdMs: number) => Math.floor(createdMs / 1000) + DAYS_30;
    const runExpiry = new Map<string, number>(
      runs.map((run: { ExecutionId: string; CreatedTime: number }) => [
        run.ExecutionId,
        // The wire gives epoch seconds (with milliseconds).
        expiryOf(Math.round(run.CreatedTime * 1000)),
      ]),
    );
    let checked = 0;
    for (const item of items) {
      const type = String(item.Type);
      const pk = String(item.PK);
      let want: number | undefined;
      if (RUN_TYPES.has(type)) want = runExpiry.get(String(item.ExecutionId));
      else if (type === "CounterShard" && pk.includes("EXEC#")) want = runExpiry.get(pk.split("#").at(-1) as string);
      else if (COMMAND_TYPES.has(type) || (type === "CounterShard" && pk.includes("CMD#"))) {
        // A command's id is time-ordered as a run's is: its request time.
        want = expiryOf(executionTime(pk.split("#").at(-1) as string).getTime());
      } else continue;
      expect(want, `${type} ${pk} ${item.SK} belongs to a run of this test`).toBeDefined();
      expect(item.ExpiresAt, `${type} ${pk} ${item.SK}`).toBe(want);
      checked++;
    }
    // Two runs and their two commands: runs, targets, shards, command heads, payloads, counters, invocations, outputs.
    const types = new Set(items.filter((item) => item.ExpiresAt !== undefined).map((item) => String(item.Type)));
    for (const type of [...RUN_TYPES, "CounterShard", "Command", "CommandPayload", "CommandCount", "Invocation"])
      expect(types, type).toContain(type);
    expect(checked).toBeGreaterThan(10);
    const [second, first] = [...runExpiry.values()] as [number, number];
    expect(second - first).toBe(24 * 3600 + 60);
  });
});
