/**
 * Pushing a run to its nodes over the message channel (ARCHITECTURE.md, "How an association run
 * reaches its nodes"): the run's command (its document, Comment `<association id>:<execution
 * id>`, as AWS's published list-commands and get-command-invocation outputs show association
 * runs), then each target's message as the run releases it: the first wave at once (each
 * shard's share of MaxConcurrency), and each next target when one of its shard ends (`handOver`,
 * along the slot chain the planner laid: planner.ts `chainNext`).
 */
import type { NotificationConfig } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { SsmError } from "../../errors.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { documentContent, pluginIdsOf, sendCommandPayload, typedParameters } from "../commands/payload.ts";
import { DEFAULT_EXECUTION_TIMEOUT_SECONDS, planCommand } from "../commands/plan.ts";
import { commandMessage } from "../commands/progress.ts";
import { UNDELIVERED } from "../commands/statuses.ts";
import type { CommandStore } from "../commands/store.ts";
import type { DocumentReader } from "../documents/reader.ts";
import type { Mailbox } from "../messages/mailbox.ts";
import { messageIdOf } from "../messages/message-id.ts";
import type { Clock } from "./executions.ts";
import { inFirstWave } from "./planner.ts";
import type { ExecutionTargetRecord, PlannedExecution } from "./records.ts";
import type { ExecutionStore } from "./store.ts";
import { isHalted } from "./views.ts";

/**
 * How long a pushed run's messages may wait for their node: its command's TimeoutSeconds. A
 * rollout releases its waves over time, so this is the whole rollout's, not one wave's: two
 * days, after which a target whose node never took its message is settled DeliveryTimedOut
 * (and its run target Failed) by the scheduler's tick (commands/progress.ts settleDue).
 */
export const PUSHED_RUN_DELIVERY_SECONDS = 2 * 24 * 3600;

/** The AWS-owned document whose command makes the agent run an association now (its aws:refreshAssociation step). */
export const REFRESH_DOCUMENT = "AWS-RefreshAssociation";

/** Releases (each its own transaction) started at once. */
const PARALLEL = 16;

export class RunDispatch {
  constructor(
    private readonly store: ExecutionStore,
    private readonly commands: Pick<CommandStore, "create" | "payload" | "invocation" | "invocations" | "transition">,
    private readonly mailbox: Mailbox,
    private readonly documents: Pick<DocumentReader, "forAssociation">,
    private readonly clock: Clock,
  ) {}

  /** Writes a pushed run's command and sends its first wave (a run not pushed: nothing). */
  async dispatch(scope: Scope, association: AssociationRecord, planned: PlannedExecution): Promise<void> {
    const { execution, targets } = planned;
    if (!execution.Pushed || !execution.CommandId || targets.length === 0) return;
    // The document's content (for the command) and the first wave's releases at once: neither
    // needs the other; the messages go only once the command is written (a reply names an
    // invocation that exists).
    const shards = execution.Shards ?? 1;
    const firstWave = targets.filter((target, index) => inFirstWave(target, index, shards));
    // A refresh names the association: its command is AWS-RefreshAssociation's (AWS-owned, no read).
    const [resolved, released] = await Promise.all([
      (execution.Refresh
        ? this.documents.forAssociation(scope, REFRESH_DOCUMENT, undefined)
        : this.documents.forAssociation(scope, association.Name, association.DocumentVersion)
      ).catch((error) => {
        // Deleted or unshared since the run was planned (the association is written already, and
        // its answer must say so): nothing to send. Its targets stay as they are, as a run on a
        // document its nodes can no longer get would at their poll.
        if (error instanceof SsmError) return undefined;
        throw error;
      }),
      this.releaseAll(scope, firstWave),
    ]);
    if (!resolved) return;
    const command = await this.writeCommand(scope, association, planned, resolved);
    const byNode = new Map(command.invocations.map((invocation) => [invocation.InstanceId, invocation]));
    await this.mailbox.send(
      scope,
      released.map((node) =>
        commandMessage(scope, byNode.get(node) as (typeof command.invocations)[number], command.payload),
      ),
    );
  }

  /** Each target released if the run allows it now, PARALLEL at a time: the nodes released. */
  private async releaseAll(scope: Scope, targets: ExecutionTargetRecord[]): Promise<string[]> {
    const released: string[] = [];
    for (let i = 0; i < targets.length; i += PARALLEL) {
      const batch = targets.slice(i, i + PARALLEL);
      const results = await Promise.all(batch.map((target) => this.store.release(scope, target, this.clock())));
      released.push(...batch.filter((_, j) => results[j] === "released").map((target) => target.ResourceId));
    }
    return released;
  }

  /** The run's command: its document's content, the association's parameters, an invocation per target. */
  private async writeCommand(
    scope: Scope,
    association: AssociationRecord,
    planned: PlannedExecution,
    resolved: Awaited<ReturnType<DocumentReader["forAssociation"]>>,
  ) {
    const { execution, targets } = planned;
    const commandId = execution.CommandId as string;
    const { document, version } = resolved;
    const content = await documentContent(version.Content, version.DocumentFormat);
    const definitions = (resolved.parameterDefinitions ?? {}) as Record<string, { type?: string }>;
    // A refresh's only parameter names the association (a flat list: the agent's plugin input
    // is `AssociationIds []string`, agent/plugins/refreshassociation); the association's own
    // parameters and output location reach the agent with its list (ListInstanceAssociations).
    const parameters = execution.Refresh
      ? { associationIds: [association.AssociationId] }
      : (association.Parameters ?? {});
    const s3 = execution.Refresh ? undefined : association.OutputLocation?.S3Location;
    const nodeIds = targets.map((target) => target.ResourceId);
    const payload = sendCommandPayload({
      commandId,
      documentName: document.Name,
      document: content,
      parameters: typedParameters(parameters, definitions),
      outputS3BucketName: s3?.OutputS3BucketName ?? "",
      outputS3KeyPrefix: s3?.OutputS3KeyPrefix ?? "",
      cloudWatchLogGroupName: "",
      cloudWatchOutputEnabled: false,
    });
    // Every invocation is the command's to send at once (concurrency = the targets): the run's
    // releases decide when each message goes. Shown with AWS's "50" and "100%".
    const command = planCommand({
      commandId,
      now: new Date(execution.CreatedTime),
      nodeIds,
      documentName: execution.Refresh ? REFRESH_DOCUMENT : association.Name,
      documentVersion: "",
      comment: `${execution.AssociationId}:${execution.ExecutionId}`,
      parameters,
      instanceIds: nodeIds,
      targets: [],
      timeoutSeconds: PUSHED_RUN_DELIVERY_SECONDS,
      executionTimeoutSeconds: DEFAULT_EXECUTION_TIMEOUT_SECONDS,
      maxConcurrency: String(nodeIds.length),
      maxErrors: "100%",
      plugins: pluginIdsOf(content),
      payload,
      rest: {
        OutputS3BucketName: s3?.OutputS3BucketName ?? "",
        OutputS3KeyPrefix: s3?.OutputS3KeyPrefix ?? "",
        ...(s3?.OutputS3Region ? { OutputS3Region: s3.OutputS3Region } : {}),
        ServiceRole: "",
        NotificationConfig: {
          NotificationArn: "",
          NotificationEvents: [],
          NotificationType: "",
        } as unknown as NotificationConfig,
        CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
      },
    });
    command.command.MaxConcurrency = "50";
    const run = {
      AssociationId: execution.AssociationId,
      ExecutionId: execution.ExecutionId,
      ...(execution.Refresh ? { Refresh: true } : {}),
    };
    // Under Duration no target starts after the run's cutoff: its messages are given up then.
    const deliverBy = execution.Deadline;
    command.invocations = command.invocations.map((invocation) => ({
      ...invocation,
      Run: run,
      ...(deliverBy && deliverBy < invocation.DeliveryDeadline ? { DeliveryDeadline: deliverBy } : {}),
    }));
    await this.commands.create(scope, command);
    return { invocations: command.invocations, payload };
  }

  /**
   * A pushed run's target ended: its slot goes to the next waiting target of its chain (past
   * targets already released or ended), which is released (the run's conditions: its shard's
   * share, MaxErrors, Duration) and sent its message. Idempotent: a release is conditional.
   */
  async handOver(scope: Scope, ended: ExecutionTargetRecord): Promise<void> {
    let from = ended;
    for (let hops = 0; from.Next && hops < 1000; hops++) {
      const [next] = await this.store.targetsOf(scope, [{ executionId: from.ExecutionId, resourceId: from.Next }]);
      if (!next) return;
      if (next.Status === "Pending" && !next.Released) {
        if ((await this.store.release(scope, next, this.clock())) !== "released") return;
        const run = await this.store.get(scope, next.AssociationId, next.ExecutionId);
        if (!run?.CommandId) return;
        const [invocation, payload] = await Promise.all([
          this.commands.invocation(scope, run.CommandId, next.ResourceId),
          this.commands.payload(scope, run.CommandId),
        ]);
        if (invocation && payload !== undefined)
          await this.mailbox.send(scope, [commandMessage(scope, invocation, payload)]);
        return;
      }
      from = next;
    }
  }

  /**
   * A pushed run stopped on MaxErrors: no target it released before the stop may start after it.
   * Each such target's message still in its node's queue is taken back, on condition that no poll
   * of the channel ever got it (the item GetMessages' claim conditions on: one of the two wins;
   * and both claims check the stop themselves, so none is handed out meanwhile), and its
   * invocation is Terminated, as a command's are when MaxErrors stops it; so are the invocations
   * of targets never released (the run shows those Skipped, views.ts). Returns the nodes whose
   * message was taken back: the caller settles their run targets Skipped. Idempotent.
   */
  async withdrawIfStopped(scope: Scope, ended: ExecutionTargetRecord): Promise<string[]> {
    const run = await this.store.get(scope, ended.AssociationId, ended.ExecutionId);
    if (!run?.Pushed || !run.CommandId || !isHalted(run, this.clock())) return [];
    const commandId = run.CommandId;
    const withdrawn: string[] = [];
    let after: string | undefined;
    for (let more = true; more; ) {
      const page = await this.commands.invocations(scope, commandId, after, 100);
      const waiting = page.items.filter((invocation) => UNDELIVERED.has(invocation.State));
      for (let i = 0; i < waiting.length; i += PARALLEL) {
        await Promise.all(
          waiting.slice(i, i + PARALLEL).map(async (invocation) => {
            if (invocation.Released) {
              const messageId = messageIdOf(commandId, invocation.InstanceId);
              if (!(await this.mailbox.takeUndelivered(scope, invocation.InstanceId, messageId, 0))) return;
              withdrawn.push(invocation.InstanceId);
            }
            await this.commands.transition(scope, invocation, "Terminated");
          }),
        );
      }
      after = page.items.at(-1)?.InstanceId;
      more = page.more;
    }
    return withdrawn;
  }
}
