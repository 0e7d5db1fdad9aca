/**
 * What a node is told about the runs of its associations when its agent polls
 * (ListInstanceAssociations), and where its reports land.
 *
 * The SSM Agent runs an association at once when ListInstanceAssociations answers it with
 * `DetailedStatus: Pending` (agent/association/model/model.go, SetNextScheduledDate). So "told to
 * run" is exactly that answer, and rate controls decide it: a waiting target of the current run
 * is released (answered Pending) only if its run has room under MaxConcurrency, has not stopped
 * under MaxErrors and is not past Duration's cutoff. Held back, the association is not listed to
 * the node yet (any other answer would let the agent run it on its own: it runs at once an
 * association it has never run).
 *
 * A node the run did not include (it matched the targets later: a new tag, a new node) runs at
 * once, as AWS says for new nodes ("If a new managed node starts and attempts to run an
 * association while Systems Manager is running MaxConcurrency associations, the association is
 * allowed to run"), and joins the run so its reports land on it.
 */
import type { NodeViewAssociation } from "../associations/records.ts";
import type { Clock } from "./executions.ts";
import type { ExecutionTargetRecord } from "./records.ts";
import type { ExecutionStore } from "./store.ts";

export type NodeRunState =
  /** Told to run now: listed with DetailedStatus Pending. */
  | { kind: "due"; target: ExecutionTargetRecord }
  /** Listed with its last status (running, or done). */
  | { kind: "listed"; target?: ExecutionTargetRecord }
  /** Not listed yet: held back by rate controls, or waiting for its first scheduled run. */
  | { kind: "held" };

export class AgentRuns {
  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The state of each association for this node, releasing (or joining) the runs it may start
   * now. `reported` says which associations the node has reported on before.
   *
   * One read for all of them (the node's target in each current run, one batch, started at
   * once so it joins whatever else the caller reads in the same turn), then the writes of the
   * runs the node may start, all at once: each is its own transaction (one held back by its rate
   * controls must not hold back another), and none depends on another.
   */
  async states(
    scope: { accountId: string; region: string },
    nodeId: string,
    associations: readonly NodeViewAssociation[],
    reported: ReadonlySet<string>,
  ): Promise<Map<string, NodeRunState>> {
    const wanted: { executionId: string; resourceId: string }[] = [];
    for (const association of associations) {
      if (association.CurrentExecutionId)
        wanted.push({ executionId: association.CurrentExecutionId, resourceId: nodeId });
    }
    const targets = wanted.length > 0 ? await this.store.targetsOf(scope, wanted) : [];
    const byRun = new Map(targets.map((target) => [target.ExecutionId, target]));
    const now = this.clock();
    const states = new Map<string, NodeRunState>();
    const writes: Promise<void>[] = [];
    for (const association of associations) {
      const id = association.AssociationId;
      const runId = association.CurrentExecutionId;
      const target = runId ? byRun.get(runId) : undefined;
      if (target?.Status === "Pending" && target.Released) states.set(id, { kind: "due", target });
      else if (target?.Status === "Pending") {
        writes.push(
          this.store.release(scope, target, now).then((released) => {
            states.set(id, released ? { kind: "due", target: { ...target, Released: true } } : { kind: "held" });
          }),
        );
      } else if (target) states.set(id, { kind: "listed", target });
      else if (reported.has(id)) states.set(id, { kind: "listed" });
      else if (runId && !association.ApplyOnlyAtCronInterval) {
        writes.push(
          this.store.join(scope, association, runId, nodeId, now).then((joined) => {
            states.set(id, joined ? { kind: "due", target: joined } : { kind: "held" });
          }),
        );
      } else states.set(id, { kind: "held" });
    }
    await Promise.all(writes);
    return states;
  }
}
