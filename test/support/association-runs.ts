/** An association's runs as a user reads them: its newest run, and one run's targets. */
import { call } from "./invoke.ts";

export async function runOf(associationId: string) {
  const { AssociationExecutions } = await call("DescribeAssociationExecutions", { AssociationId: associationId });
  return AssociationExecutions[0] as { ExecutionId: string; Status: string; ResourceCountByStatus: string };
}

export async function targetsOf(associationId: string, executionId: string) {
  const { AssociationExecutionTargets } = await call("DescribeAssociationExecutionTargets", {
    AssociationId: associationId,
    ExecutionId: executionId,
  });
  return AssociationExecutionTargets as Record<string, unknown>[];
}
