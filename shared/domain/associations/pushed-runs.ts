/**
 * What a pushed run's command tells its run (ARCHITECTURE.md, "How an association run reaches its
 * nodes"): the agent runs the association's document as a plain command, so it sends no
 * UpdateInstanceAssociationStatus for it (agent/association/processor runs only on its own poll;
 * nothing in agent/runcommand reads a Comment). The service writes the node's status, the run's
 * target and the compliance item itself, as the node's report would (InstanceAssociations.record),
 * from each move of the command's invocation.
 */
import type { Scope } from "../../context.ts";
import { AssociationDoesNotExist } from "../../errors.ts";
import type { RunResults } from "../commands/progress.ts";
import type { InvocationRecord, InvocationState } from "../commands/records.ts";
import type { Clock } from "../executions/executions.ts";
import type { InstanceAssociations } from "./instance-associations.ts";

/**
 * An invocation's state as the association status the agent would have reported: its
 * ResultStatus names (Success, Failed, TimedOut; agent/association/processor/processor.go), and
 * Failed for a message that never reached its node or was cancelled.
 */
const ASSOCIATION_STATUS: Partial<Record<InvocationState, string>> = {
  InProgress: "InProgress",
  Success: "Success",
  Failed: "Failed",
  ExecutionTimedOut: "TimedOut",
  DeliveryTimedOut: "Failed",
  Undeliverable: "Failed",
  Cancelled: "Failed",
  Terminated: "Skipped",
};

/**
 * A refresh (AWS-RefreshAssociation) only tells the agent to list its associations: its own
 * result says nothing of the run, which the agent reports itself as it runs it
 * (UpdateInstanceAssociationStatus). Only a refresh that never reached its node ends the
 * node's turn, as an undelivered command of the document would.
 */
const REFRESH_ENDS: ReadonlySet<InvocationState> = new Set(["DeliveryTimedOut", "Undeliverable", "Terminated"]);

export class PushedRunResults implements RunResults {
  constructor(
    private readonly instances: Pick<InstanceAssociations, "record">,
    private readonly clock: Clock,
  ) {}

  async moved(scope: Scope, invocation: InvocationRecord, to: InvocationState): Promise<void> {
    const run = invocation.Run;
    const status = ASSOCIATION_STATUS[to];
    if (!run || !status || (run.Refresh && !REFRESH_ENDS.has(to))) return;
    await this.instances
      .record(
        scope,
        run.AssociationId,
        invocation.InstanceId,
        {
          Status: status,
          ExecutionDate: this.clock(),
          ExecutionSummary:
            status === "InProgress"
              ? "Executing association"
              : `The association ran as command ${invocation.CommandId}: ${to}. Its output: GetCommandInvocation.`,
        },
        run.ExecutionId,
      )
      // The association was deleted since its run was pushed (its undelivered messages settle
      // later, at a scheduler's tick): there is no status left to record.
      .catch((error) => {
        if (!(error instanceof AssociationDoesNotExist)) throw error;
      });
  }
}
