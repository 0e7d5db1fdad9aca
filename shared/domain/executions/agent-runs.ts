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
 * allowed to run"), and joins the run so its reports land on it; under CalendarNames, only while
 * every calendar is OPEN: "If you add new nodes to the tags or resource groups that an
 * association acts on when the change calendar is closed, the association is applied to those
 * nodes once the change calendar opens" (the user guide's "Creating associations"). The
 * calendars are read for that join only, the one place a node's poll reads them: a waiting target
 * of the run is held by the run's own item once they close (execution-store.ts `release`).
 */
import type { Scope } from "../../context.ts";
import type { NodeViewAssociation } from "../associations/records.ts";
import { messageIdOf } from "../messages/message-id.ts";
import type { Clock } from "./executions.ts";
import type { ExecutionTargetRecord } from "./records.ts";
import type { ExecutionStore } from "./store.ts";

export type NodeRunState =
  /** Told to run now: listed with DetailedStatus Pending. */
  | { kind: "due"; target: ExecutionTargetRecord }
  /** Listed with its last status (running, or done). */
  | { kind: "listed"; target?: ExecutionTargetRecord }
  /** Not listed yet: held back by rate controls, or waiting for its first scheduled run. */
  | { kind: "held" }
  /**
   * The node's target in the current run will not run: the run stopped before its turn
   * (MaxErrors, Duration, its calendars closed) or was skipped when due (a calendar CLOSED).
   * Listed with Skipped, which the agent does not run (it runs only Pending, or Associated).
   */
  | { kind: "skipped"; target: ExecutionTargetRecord };

/**
 * How long a pushed run's message must have waited, undelivered, before a node's association poll
 * may take it. 0: a node that polls the channel takes its message within one round trip (it is
 * always inside a held poll), so its association poll, every 10 minutes, finds it taken; and a
 * node without the channel runs it at its next association poll, as before issue 28. Either way
 * one conditional write on the message decides, so the run happens once.
 */
export const POLL_FALLBACK_AFTER_MS = 0;

export class AgentRuns {
  constructor(
    private readonly store: ExecutionStore,
    readonly clock: Clock,
    /** Whether an association's CalendarNames are all OPEN now (true without CalendarNames). */
    private readonly calendarsOpen: (
      scope: { accountId: string; region: string },
      association: NodeViewAssociation,
      now: Date,
    ) => Promise<boolean> = async () => true,
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
    scope: Scope,
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
      if (target?.Pushed && target.Status === "Pending") {
        // A pushed run's target: released by its chain only; listed once this path claimed it.
        if (target.Polled) states.set(id, { kind: "due", target });
        else if (!target.Released)
          // Its chain releases it while the run still starts targets; once stopped, never.
          writes.push(
            this.store
              .stopped(scope, target, now)
              .then(
                (stopped) =>
                  void states.set(id, stopped ? { kind: "skipped", target: skippedView(target) } : { kind: "held" }),
              ),
          );
        else writes.push(this.claimForPoll(scope, target).then((state) => void states.set(id, state)));
      } else if (target?.Status === "Pending" && target.Released) states.set(id, { kind: "due", target });
      else if (target?.Status === "Pending") {
        writes.push(
          this.store.release(scope, target, now).then((result) => {
            states.set(
              id,
              result === "released"
                ? { kind: "due", target: { ...target, Released: true } }
                : result === "stopped"
                  ? { kind: "skipped", target: skippedView(target) }
                  : { kind: "held" },
            );
          }),
        );
      } else if (target?.Status === "Skipped") states.set(id, { kind: "skipped", target });
      else if (target) states.set(id, { kind: "listed", target });
      else if (reported.has(id)) states.set(id, { kind: "listed" });
      else if (runId && !association.ApplyOnlyAtCronInterval) {
        writes.push(
          this.calendarsOpen(scope, association, now)
            .then((open) => (open ? this.store.join(scope, association, runId, nodeId, now) : undefined))
            .then((joined) => {
              states.set(id, joined ? { kind: "due", target: joined } : { kind: "held" });
            }),
        );
      } else states.set(id, { kind: "held" });
    }
    await Promise.all(writes);
    return states;
  }

  /**
   * A released pushed target: this path runs it if its node never took its message from the
   * channel. A refresh (AWS-RefreshAssociation) the node took is what makes it list its
   * associations now (agent/association/processor/refreshassociation.go): it runs the one
   * answered Pending, so a delivered refresh leaves its target due; a delivered command of the
   * document runs on its own, and is not listed.
   */
  private async claimForPoll(scope: Scope, target: ExecutionTargetRecord): Promise<NodeRunState> {
    const messageId = messageIdOf(target.CommandId as string, target.ResourceId);
    const claimed = await this.store.claimPolled(scope, target, messageId, this.clock(), POLL_FALLBACK_AFTER_MS);
    if (claimed === "stopped") return { kind: "skipped", target: skippedView(target) };
    if (claimed === "delivered" && target.Refresh) return { kind: "due", target };
    if (claimed === "held" || claimed === "delivered") return { kind: "held" };
    return { kind: "due", target: { ...target, Polled: true } };
  }
}

/** A waiting target of a stopped run as its views show it (views.ts targetView): Skipped. */
const skippedView = (target: ExecutionTargetRecord): ExecutionTargetRecord => ({
  ...target,
  Status: "Skipped",
  DetailedStatus: "Skipped",
});
