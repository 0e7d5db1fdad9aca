/**
 * Rate controls end to end: ten managed nodes whose agents poll ListInstanceAssociations and
 * report with UpdateInstanceAssociationStatus over HTTP, signed with their node credentials, an
 * association with MaxConcurrency=2 and MaxErrors=1; what a user sees of it through the SDK v3
 * client and the aws CLI, in the shapes of AWS's published CLI examples
 * (awscli/examples/ssm/describe-association-executions.rst,
 * describe-association-execution-targets.rst, start-associations-once.rst).
 */
import {
  DescribeAssociationExecutionsCommand,
  DescribeAssociationExecutionTargetsCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { beforeAll, describe, expect, it } from "vitest";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";

const server = useLocalEndpoint();
let ssm: SSMClient;
let fleet: ManagedNode[];

// biome-ignore lint/suspicious/noExplicitAny: reads the CLI's JSON freely
async function cli(...args: string[]): Promise<{ code: number; stdout: string; json: any }> {
  const result = await awsCli(server.url, args, { output: "json" });
  expect(result.code, result.stderr).toBe(0);
  return { code: 0, stdout: result.stdout, json: result.stdout.trim() ? JSON.parse(result.stdout) : undefined };
}

beforeAll(async () => {
  ssm = new SSMClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  fleet = [];
  for (let i = 0; i < 10; i++) fleet.push((await ManagedNode.register([{ Key: "fleet", Value: "wave" }])).via(server));
}, 120_000);

describe("MaxConcurrency=2, MaxErrors=1 on ten nodes", () => {
  it("never more than two told to run at once; the run stops after the second failure", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:fleet", Values: ["wave"] }],
      Parameters: { commands: ["./deploy.sh"] },
      MaxConcurrency: "2",
      MaxErrors: "1",
    });
    const id = a.AssociationId as string;
    // Outcomes in the order nodes are told to run: the 2nd and 3rd fail; MaxErrors=1 tolerates
    // one failure and stops at the second ("If you specify 3 ... stops ... when the fourth error").
    const outcomes: ("Success" | "Failed")[] = ["Success", "Failed", "Failed", "Success"];
    const ran: string[] = [];
    for (let round = 0; round < 10; round++) {
      const due: ManagedNode[] = [];
      for (const node of fleet) if ((await node.due()).includes(id)) due.push(node);
      expect(due.length, `round ${round}`).toBeLessThanOrEqual(2);
      if (due.length === 0) break;
      // Every due node polls again before any reports: still the same two, no one else.
      for (const node of fleet) expect((await node.due()).includes(id)).toBe(due.includes(node));
      for (const node of due) {
        const outcome = outcomes[ran.length] ?? "Success";
        ran.push(node.id);
        expect(await node.run(id, outcome)).toEqual([200, 200, 200, 200]);
      }
    }
    expect(ran).toHaveLength(4);

    // The SDK client.
    const { AssociationExecutions: runs } = await ssm.send(
      new DescribeAssociationExecutionsCommand({ AssociationId: id }),
    );
    expect(runs).toHaveLength(1);
    const run = runs?.[0];
    expect(run).toMatchObject({
      AssociationId: id,
      AssociationVersion: "1",
      Status: "Failed",
      DetailedStatus: "Failed",
      ResourceCountByStatus: "{Success=2,Failed=2,Skipped=6}",
    });
    expect(run?.CreatedTime).toBeInstanceOf(Date);
    const targets = async (Filters?: { Key: "Status" | "ResourceId" | "ResourceType"; Value: string }[]) =>
      (
        await ssm.send(
          new DescribeAssociationExecutionTargetsCommand({ AssociationId: id, ExecutionId: run?.ExecutionId, Filters }),
        )
      ).AssociationExecutionTargets ?? [];
    expect(await targets()).toHaveLength(10);
    const skipped = await targets([{ Key: "Status", Value: "Skipped" }]);
    expect(skipped.map((t) => t.ResourceId).sort()).toEqual(
      fleet
        .map((n) => n.id)
        .filter((n) => !ran.includes(n))
        .sort(),
    );
    expect(skipped.every((t) => t.DetailedStatus === "Skipped" && t.LastExecutionDate === undefined)).toBe(true);
    expect((await targets([{ Key: "Status", Value: "Failed" }])).map((t) => t.ResourceId).sort()).toEqual(
      [ran[1], ran[2]].sort(),
    );
    const { AssociationDescription: described } = await call("DescribeAssociation", { AssociationId: id });
    expect(described.Overview).toEqual({
      Status: "Failed",
      DetailedStatus: "Failed",
      AssociationStatusAggregatedCount: { Success: 2, Failed: 2, Skipped: 6 },
    });

    // The aws CLI, in the shape of AWS's published examples.
    const executions = (await cli("describe-association-executions", "--association-id", id)).json;
    expect(Object.keys(executions)).toEqual(["AssociationExecutions"]);
    const [listed] = executions.AssociationExecutions;
    expect(Object.keys(listed).sort()).toEqual(
      [
        "AssociationId",
        "AssociationVersion",
        "CreatedTime",
        "DetailedStatus",
        "ExecutionId",
        "LastExecutionDate",
        "ResourceCountByStatus",
        "Status",
      ].sort(),
    );
    expect(typeof listed.CreatedTime).toBe("number");
    expect(listed.ResourceCountByStatus).toBe("{Success=2,Failed=2,Skipped=6}");
    const failed = (
      await cli(
        "describe-association-execution-targets",
        "--association-id",
        id,
        "--execution-id",
        listed.ExecutionId,
        "--filters",
        "Key=Status,Value=Failed",
      )
    ).json.AssociationExecutionTargets;
    expect(failed).toHaveLength(2);
    expect(Object.keys(failed[0]).sort()).toEqual(
      [
        "AssociationId",
        "AssociationVersion",
        "DetailedStatus",
        "ExecutionId",
        "LastExecutionDate",
        // The run was pushed as a command (issue 28): describe-association-execution-targets.rst
        // shows OutputSource {OutputSourceId, OutputSourceType: "RunCommand"}.
        "OutputSource",
        "ResourceId",
        "ResourceType",
        "Status",
      ].sort(),
    );
    expect(failed[0]).toMatchObject({ ResourceType: "ManagedInstance", Status: "Failed", DetailedStatus: "Failed" });
    // Each failed node's own status carries the agent's error code for a failed document.
    for (const node of [ran[1], ran[2]] as string[]) {
      const infos = (await cli("describe-instance-associations-status", "--instance-id", node)).json
        .InstanceAssociationStatusInfos;
      expect(infos.find((info: { AssociationId: string }) => info.AssociationId === id)).toMatchObject({
        Status: "Failed",
        ErrorCode: "ExecutionError",
      });
    }
    const since = (
      await cli(
        "describe-association-executions",
        "--association-id",
        id,
        "--filters",
        `Key=CreatedTime,Value=${new Date((listed.CreatedTime - 1) * 1000).toISOString()},Type=GREATER_THAN`,
      )
    ).json.AssociationExecutions;
    expect(since.map((r: { ExecutionId: string }) => r.ExecutionId)).toEqual([listed.ExecutionId]);

    // "There is no output if the command succeeds." A new run: two nodes told to run again.
    const once = await cli("start-associations-once", "--association-id", id);
    expect(once.stdout.trim()).toBe("");
    let dueNow = 0;
    for (const node of fleet) if ((await node.due()).includes(id)) dueNow++;
    expect(dueNow).toBe(2);
    const again = (await cli("describe-association-executions", "--association-id", id)).json.AssociationExecutions;
    // Told to run is not started yet: Pending until a node reports.
    expect(again.map((r: { Status: string }) => r.Status)).toEqual(["Pending", "Failed"]);
    expect(again[0].ResourceCountByStatus).toBe("{Pending=10}");
  }, 180_000);
});
