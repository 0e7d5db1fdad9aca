/**
 * AWS's published `describe-association-execution-targets` example
 * (aws/aws-cli awscli/examples/ssm/describe-association-execution-targets.rst, "To get details of
 * an association execution"), through the real `aws` CLI against the local server: an association
 * run pushed to a replayed SSM Agent polling the message channel (test/support/run-command-agent.ts),
 * which runs it; the CLI then prints the published output, the example's ids replaced by this
 * run's and nothing else changed: its target Success, with `OutputSource {OutputSourceId,
 * OutputSourceType: "RunCommand"}`, the command that carried the run (its Comment
 * `<association id>:<execution id>`, as get-command-invocation.rst shows an association's run).
 */
import { describe, expect, it } from "vitest";
import { awsCli, type CliResult, useLocalEndpoint } from "../support/endpoint.ts";
import { call } from "../support/invoke.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

const server = useLocalEndpoint({ messagePollHoldMs: 1000 });

function json(result: CliResult) {
  if (result.code !== 0) throw new Error(`aws ssm exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The example's output, its ids as given, and matchers for what differs each run. */
function publishedOutput(
  ids: { associationId: string; executionId: string; resourceId: string },
  matchers: { any: (type: unknown) => unknown },
) {
  return {
    AssociationExecutionTargets: [
      {
        AssociationId: ids.associationId,
        AssociationVersion: "1",
        ExecutionId: ids.executionId,
        ResourceId: ids.resourceId,
        ResourceType: "ManagedInstance",
        Status: "Success",
        DetailedStatus: "Success",
        LastExecutionDate: matchers.any(Number),
        OutputSource: {
          OutputSourceId: matchers.any(String),
          OutputSourceType: "RunCommand",
        },
      },
    ],
  };
}

describe("describe-association-execution-targets (describe-association-execution-targets.rst)", () => {
  it("the published example: the run's target Success, its OutputSource the Run Command command that carried it", async () => {
    const agent = await ReplayedAgent.register(server);
    const created = json(
      await awsCli(
        server.url,
        [
          "create-association",
          "--name",
          "AWS-RunShellScript",
          "--parameters",
          'commands=["echo applied"]',
          "--targets",
          `Key=InstanceIds,Values=${agent.instanceId}`,
        ],
        { output: "json" },
      ),
    );
    const associationId = created.AssociationDescription.AssociationId as string;
    await agent.handleNext(shellOutcome({ stdout: "applied\n" }));
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: associationId })).AssociationExecutions;
    const executionId = run.ExecutionId as string;

    const output = json(
      await awsCli(
        server.url,
        ["describe-association-execution-targets", "--association-id", associationId, "--execution-id", executionId],
        { output: "json" },
      ),
    );
    expect(output).toEqual(publishedOutput({ associationId, executionId, resourceId: agent.instanceId }, expect));
    // Its OutputSource is the command that carried the run, and holds what the run printed.
    const [target] = output.AssociationExecutionTargets;
    const invocation = json(
      await awsCli(
        server.url,
        [
          "get-command-invocation",
          "--command-id",
          target.OutputSource.OutputSourceId,
          "--instance-id",
          agent.instanceId,
        ],
        { output: "json" },
      ),
    );
    expect(invocation).toMatchObject({
      Comment: `${associationId}:${executionId}`,
      DocumentName: "AWS-RunShellScript",
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: "applied\n",
    });
    expect(target.LastExecutionDate).toBeGreaterThanOrEqual(run.CreatedTime);
  });
});
