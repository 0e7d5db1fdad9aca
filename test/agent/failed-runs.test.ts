/**
 * Issue 14, bug 2: a failed run is recorded. The agent reports failures with its own error codes
 * (agent/association/contracts in amazon-ssm-agent: up to 17 characters, "" for no error), which
 * its model types as a plain string. Each is replayed as the agent sends it (Go SDK body, its
 * headers, node credentials) through the local endpoint, and a user then sees the failure.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { agentCall, registeredAgent } from "../support/agent-http.ts";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import type { Identity } from "../support/identity.ts";
import { call } from "../support/invoke.ts";

const server = useLocalEndpoint();
let instanceId: string;
let node: Identity;

const ERROR_CODES = [
  "ExecutionError",
  "InvalidAssoc",
  "InvalidExpression",
  "ListAssocError",
  "SubmitAssocError",
  "StuckAtInProgress",
];

/** The agent's ExecutionResult, fields in the Go SDK's order; ExecutionDate as its float seconds. */
function report(associationId: string, status: string, errorCode: string, summary: string): string {
  return JSON.stringify({
    AssociationId: associationId,
    ExecutionResult: {
      ErrorCode: errorCode,
      ExecutionDate: 1_795_600_000.123,
      ExecutionSummary: summary,
      Status: status,
    },
    InstanceId: instanceId,
  });
}

beforeAll(async () => {
  ({ instanceId, identity: node } = await registeredAgent());
});

describe("failed runs reported with each of the agent's error codes", () => {
  it("are accepted and recorded, and describe-instance-associations-status shows them", async () => {
    const ids = new Map<string, string>();
    for (const code of ERROR_CODES) {
      const { AssociationDescription } = await call("CreateAssociation", {
        Name: "AWS-RunShellScript",
        Targets: [{ Key: "InstanceIds", Values: [instanceId] }],
        Parameters: { commands: ["exit 1"] },
        AssociationName: `fails-${code}`,
      });
      const id = AssociationDescription.AssociationId as string;
      ids.set(code, id);
      // The agent's sequence for a run that fails: Pending (ErrorCode ""), InProgress, Failed.
      for (const [status, errorCode, summary] of [
        ["Pending", "", "Association is pending"],
        ["InProgress", "", "Executing association"],
        ["Failed", code, `association failed with ${code}`],
      ]) {
        const answer = await agentCall(server, {
          target: "AmazonSSM.UpdateInstanceAssociationStatus",
          body: report(id, status as string, errorCode as string, summary as string),
          identity: node,
        });
        expect(answer.status, `${code} ${status}: ${answer.body}`).toBe(200);
      }
    }
    const shown = await awsCli(server.url, ["describe-instance-associations-status", "--instance-id", instanceId]);
    expect(shown.code, shown.stderr).toBe(0);
    const infos = JSON.parse(shown.stdout).InstanceAssociationStatusInfos as Record<string, unknown>[];
    for (const code of ERROR_CODES) {
      expect(infos.find((info) => info.AssociationId === ids.get(code))).toMatchObject({
        Status: "Failed",
        ErrorCode: code,
        ExecutionSummary: `association failed with ${code}`,
        InstanceId: instanceId,
      });
    }
    const described = await awsCli(server.url, [
      "describe-association",
      "--association-id",
      ids.get("StuckAtInProgress") as string,
    ]);
    expect(JSON.parse(described.stdout).AssociationDescription.Overview).toMatchObject({
      Status: "Failed",
      AssociationStatusAggregatedCount: { Failed: 1 },
    });
  });
});
