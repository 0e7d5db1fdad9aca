/**
 * Run Command's statuses, as AWS's user guide defines them ("Understanding command statuses",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html, and the
 * StatusDetails members of Command, CommandInvocation and CommandPlugin in the API reference).
 *
 * An invocation's detailed status (StatusDetails) decides its Status, the API's enum:
 * DeliveryTimedOut and ExecutionTimedOut are `TimedOut`; Undeliverable is `Failed` with
 * ResponseCode -1 (published get-command-invocation outputs of an unreachable node:
 * `"Status": "Failed", "StatusDetails": "Undeliverable", "ResponseCode": -1`); Terminated (its
 * command's MaxErrors was exceeded, so the system cancelled it) is `Cancelled`.
 *
 * The command's status is a rollup of its counts (commandStatus).
 */
import type { CommandCounts, InvocationState } from "./records.ts";

export const INVOCATION_STATUS: Record<InvocationState, string> = {
  Pending: "Pending",
  InProgress: "InProgress",
  Delayed: "Delayed",
  Success: "Success",
  Failed: "Failed",
  ExecutionTimedOut: "TimedOut",
  DeliveryTimedOut: "TimedOut",
  Cancelling: "Cancelling",
  Cancelled: "Cancelled",
  Terminated: "Cancelled",
  Undeliverable: "Failed",
};

/** "Terminal states include: Success, Failed, Execution Timed Out, Delivery Timed Out, Cancelled, Terminated, or Undeliverable" (Command.CompletedCount). */
export const TERMINAL: ReadonlySet<InvocationState> = new Set([
  "Success",
  "Failed",
  "ExecutionTimedOut",
  "DeliveryTimedOut",
  "Cancelled",
  "Terminated",
  "Undeliverable",
]);

/** "Invocation failures count against the MaxErrors limit", and so do execution timeouts; delivery timeouts and undeliverable ones don't. */
export const COUNTS_AGAINST_MAX_ERRORS: ReadonlySet<InvocationState> = new Set(["Failed", "ExecutionTimedOut"]);

/** States an invocation is in before the agent has it. */
export const UNDELIVERED: ReadonlySet<InvocationState> = new Set(["Pending", "Delayed"]);

export const isTerminal = (state: InvocationState): boolean => TERMINAL.has(state);

const count = (counts: CommandCounts, ...states: InvocationState[]) =>
  states.reduce((sum, state) => sum + (counts[state] ?? 0), 0);

/** Command.CompletedCount, ErrorCount ("Failed or Execution Timed Out") and DeliveryTimedOutCount. */
export function commandCounts(counts: CommandCounts) {
  return {
    CompletedCount: count(counts, ...TERMINAL),
    ErrorCount: count(counts, ...COUNTS_AGAINST_MAX_ERRORS),
    DeliveryTimedOutCount: count(counts, "DeliveryTimedOut"),
  };
}

/**
 * The command's Status and StatusDetails from its counts:
 * - Pending until an invocation is delivered; InProgress while any is not terminal (Cancelling
 *   once CancelCommand asked for every node and some are still running);
 * - once all are terminal: Cancelled after a CancelCommand for every node; Failed ("the value
 *   of max-errors or more command invocations shows a status of Failed": more than MaxErrors,
 *   which is what stops a command) or TimedOut with ExecutionTimedOut or DeliveryTimedOut when
 *   those are what exceeded it; Success when every invocation that was delivered or could be
 *   succeeded ("Undeliverable invocations ... don't contribute to whether the parent command
 *   status is Success or Incomplete", and a command whose invocations are all Undeliverable is
 *   Failed); otherwise Incomplete, which the Status enum has no member for: Failed.
 */
export function commandStatus(
  counts: CommandCounts,
  command: { TargetCount: number; ErrorLimit: number; CancelRequested?: boolean },
): { Status: string; StatusDetails: string } {
  const state = (status: string, details = status) => ({ Status: status, StatusDetails: details });
  // "No Instances In Tag: the tag key-pair value ... doesn't match any managed nodes. This is a
  // terminal state." Nothing ran, nothing failed: the enum's Success.
  if (command.TargetCount === 0) return state("Success", "NoInstancesInTag");
  const terminal = count(counts, ...TERMINAL);
  if (terminal < command.TargetCount) {
    if (command.CancelRequested) return state("Cancelling");
    return count(counts, "Pending") === command.TargetCount ? state("Pending") : state("InProgress");
  }
  if (command.CancelRequested && count(counts, "Cancelled") > 0) return state("Cancelled");
  const limit = command.ErrorLimit;
  if (count(counts, "Failed") > limit) return state("Failed");
  if (count(counts, "ExecutionTimedOut") > limit) return state("TimedOut", "ExecutionTimedOut");
  if (count(counts, ...COUNTS_AGAINST_MAX_ERRORS) > limit) return state("Failed");
  if (count(counts, "DeliveryTimedOut") > limit) return state("TimedOut", "DeliveryTimedOut");
  const attempted = command.TargetCount - count(counts, "Undeliverable");
  if (attempted === 0) return state("Failed");
  if (count(counts, "Success") === attempted) return state("Success");
  return state("Failed", "Incomplete");
}
