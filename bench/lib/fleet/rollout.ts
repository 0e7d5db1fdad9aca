/**
 * A rollout across a live fleet (issue 30): one association targeting the fleet's `rollout` tag
 * (AWS-RunShellScript, MaxConcurrency 10%, MaxErrors 1%), pushed to the nodes as a command over
 * the message channel (issue 28) while they go on with their heartbeats and polls; `failing` of
 * them fail their run. Measured: the wall time against the ideal wave time, the stop (no node
 * told to run after the error past MaxErrors was answered), every reply's answer (0 refused),
 * the counts the run shows against what the nodes did (0 lost, 0 counted twice), and the
 * service's retries and its DynamoDB calls meanwhile.
 */
import { DEFAULT_IDENTITY, type Identity } from "../../../test/support/identity.ts";
import { countsOf } from "../rollout.ts";
import { accountCall } from "./account.ts";
import type { CallFigures } from "./calls.ts";
import type { FinishedRun } from "./node.ts";

export type RolloutFigures = {
  nodes: number;
  maxConcurrency: number;
  maxErrors: number;
  failing: number;
  runSeconds: number;
  status: string;
  resourceCountByStatus: string;
  /** Nodes that finished a run (their final reply accepted), by outcome. */
  succeeded: number;
  failed: number;
  /** Nodes that received the run more than once. */
  receivedTwice: number;
  /** Nodes that ran it at their association poll instead (their channel poll had not taken it). */
  polled: number;
  /** The operator's reads of the run (DescribeAssociationExecutions) that the server failed. */
  monitorErrors: string[];
  /** The run's counts equal what the nodes did, Skipped the rest. */
  countsExact: boolean;
  /** Nodes handed the run after the error past MaxErrors was answered. */
  releasedAfterStop: number;
  waves: number;
  idealSeconds: number;
  wallSeconds: number;
  /** From the first node's final reply to the last's. */
  reportsSpreadSeconds: number;
  /** What MaxErrors must do with `failing` failures among the nodes: AWS stops at the error past MaxErrors. */
  expected: string;
  /** The outcome is exactly the expected one (every node ran and the failing failed; or the stop came at error MaxErrors + 1 with none released after it). */
  stopExact: boolean;
  /** CreateAssociation's answer time, and when the run first showed (a run too big for the request is written by the scheduler: associations/runs.ts tooBigForRequest). */
  createMs: number;
  runShownSeconds: number;
  retries: number;
  /** Transactions DynamoDB cancelled for a race (events.TransactionConflicts). */
  conflicts: number;
  calls: Record<string, CallFigures>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the fleet tells the rollout as it happens: the runs of its association, pushed (every
 * command of the run: the fleet gets no other) or, for a node whose channel poll did not take
 * its message in time, at the association poll (docs/runs.md: either path, never both).
 */
export class RolloutWatch {
  readonly finished: FinishedRun[] = [];
  readonly received: { node: string; at: number }[] = [];
  /** Runs at the poll, of the rollout's association. */
  polled = 0;
  associationId: string | undefined;

  /** Once the rollout's association exists: its commands (refreshes are not counted as runs) or its id at the poll. */
  private ours = (kind: FinishedRun["kind"] | undefined, id: string) =>
    this.associationId !== undefined && (kind === "command" || id.startsWith("aws.ssm.") || id === this.associationId);

  ran = (run: FinishedRun) => {
    if (!this.ours(run.kind, run.id)) return;
    this.finished.push(run);
    if (run.kind === "association") this.polled++;
  };

  receivedBy = (node: string, id: string, at: number) => {
    if (this.ours(undefined, id)) this.received.push({ node, at });
  };
}

export async function rollout(
  endpoint: { url: string; host: string },
  watch: RolloutWatch,
  settings: { nodes: number; failing: number; runSeconds: number; timeoutSeconds: number; identity?: Identity },
): Promise<Omit<RolloutFigures, "retries" | "conflicts" | "calls">> {
  const identity = settings.identity ?? DEFAULT_IDENTITY;
  const creating = performance.now();
  const created = await accountCall(
    endpoint,
    "CreateAssociation",
    {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:rollout", Values: ["yes"] }],
      MaxConcurrency: "10%",
      MaxErrors: "1%",
    },
    identity,
  );
  const createMs = performance.now() - creating;
  const started = Date.now();
  let runShownSeconds = Number.NaN;
  const associationId = created.AssociationDescription.AssociationId as string;
  watch.associationId = associationId;
  let status = "Pending";
  const monitorErrors: string[] = [];
  let resourceCountByStatus = "";
  while (Date.now() - started < settings.timeoutSeconds * 1000) {
    await sleep(1000);
    // A read the server failed (it may be overloaded) is counted and tried again next second.
    const answer = await accountCall(
      endpoint,
      "DescribeAssociationExecutions",
      { AssociationId: associationId },
      identity,
    ).catch((error: Error) => {
      monitorErrors.push(error.message.slice(0, 200));
      return undefined;
    });
    if (!answer) continue;
    const { AssociationExecutions } = answer;
    if (AssociationExecutions[0] && Number.isNaN(runShownSeconds)) runShownSeconds = (Date.now() - started) / 1000;
    status = AssociationExecutions[0]?.Status ?? status;
    resourceCountByStatus = AssociationExecutions[0]?.ResourceCountByStatus ?? resourceCountByStatus;
    if (status !== "Pending" && status !== "InProgress") break;
  }
  const wallSeconds = (Date.now() - started) / 1000;
  // The run may read final before the last nodes have their final reply's answer: the nodes'
  // side is compared once every node that received the run is done with it (30 s at most).
  for (
    let waited = 0;
    watch.finished.length < new Set(watch.received.map((r) => r.node)).size && waited < 30;
    waited++
  ) {
    await sleep(1000);
  }

  const maxConcurrency = Math.max(1, Math.floor(settings.nodes / 10));
  const maxErrors = Math.floor(settings.nodes / 100);
  const succeeded = watch.finished.filter((run) => run.outcome === "Success").length;
  const failures = watch.finished.filter((run) => run.outcome === "Failed").sort((a, b) => a.at - b.at);
  const stopAt = failures[maxErrors]?.at;
  const perNode = new Map<string, number>();
  for (const { node } of watch.received) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  const counts = countsOf(resourceCountByStatus);
  const ran = perNode.size;
  const finals = watch.finished.map((run) => run.at).sort((a, b) => a - b);
  const waves = Math.ceil(ran / maxConcurrency);
  // MaxErrors N lets N errors pass and stops at error N + 1 (the rate-controls page): with at most
  // N failing nodes every node runs; with more, the run stops at the (N + 1)th failure.
  const stops = settings.failing > maxErrors;
  const releasedAfterStop = stopAt === undefined ? 0 : watch.received.filter((r) => r.at > stopAt).length;
  const expected = stops
    ? `stops at failure ${maxErrors + 1} (MaxErrors ${maxErrors}, ${settings.failing} failing): Failed, nodes not yet told Skipped, none told after it`
    : `no stop (MaxErrors ${maxErrors} lets ${settings.failing} failures pass): all ${settings.nodes} run, ${settings.failing} Failed, ${settings.nodes - settings.failing} Success, the run ${settings.failing > 0 ? "Failed" : "Success"}`;
  const stopExact = stops
    ? failures.length >= maxErrors + 1 && releasedAfterStop === 0 && status === "Failed"
    : ran === settings.nodes &&
      failures.length === settings.failing &&
      succeeded === settings.nodes - settings.failing &&
      status === (settings.failing > 0 ? "Failed" : "Success");
  return {
    expected,
    stopExact,
    createMs,
    runShownSeconds,
    nodes: settings.nodes,
    maxConcurrency,
    maxErrors,
    failing: settings.failing,
    runSeconds: settings.runSeconds,
    status,
    resourceCountByStatus,
    succeeded,
    failed: failures.length,
    receivedTwice: [...perNode.values()].filter((n) => n > 1).length,
    polled: watch.polled,
    monitorErrors,
    countsExact:
      (counts.Success ?? 0) === succeeded &&
      (counts.Failed ?? 0) === failures.length &&
      (counts.Skipped ?? 0) === settings.nodes - ran,
    releasedAfterStop,
    waves,
    idealSeconds: waves * settings.runSeconds,
    wallSeconds,
    reportsSpreadSeconds: finals.length > 0 ? ((finals.at(-1) as number) - (finals[0] as number)) / 1000 : Number.NaN,
  };
}
