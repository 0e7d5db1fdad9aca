/**
 * Pushing a run to its nodes over the message channel (ARCHITECTURE.md, "How an association run
 * reaches its nodes"): the run's command (its document, Comment `<association id>:<execution
 * id>`, as AWS's published list-commands and get-command-invocation outputs show association
 * runs), then each target's message as the run releases it: the first wave (each shard's share
 * of MaxConcurrency) released and sent in the run's own write (`prepare`: the store puts the
 * command and the messages in the run's transaction while they fit, store/execution-items.ts),
 * and each next target when one of its shard ends (`handOver`, along the slot chain the planner
 * laid: planner.ts `chainNext`).
 */
import type { NotificationConfig } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { AssociationRecord } from "../associations/records.ts";
import { documentContent, pluginIdsOf, sendCommandPayload, typedParameters } from "../commands/payload.ts";
import { DEFAULT_EXECUTION_TIMEOUT_SECONDS, planCommand } from "../commands/plan.ts";
import { commandMessage } from "../commands/progress.ts";
import { UNDELIVERED } from "../commands/statuses.ts";
import type { CommandStore } from "../commands/store.ts";
import { awsOwnedDocuments } from "../documents/aws-owned/index.ts";
import { parameterDefinitionsOf } from "../documents/reader.ts";
import type { Mailbox } from "../messages/mailbox.ts";
import { messageIdOf } from "../messages/message-id.ts";
import type { Clock } from "./executions.ts";
import { inFirstWave } from "./planner.ts";
import type { ExecutionTargetRecord, PlannedExecution, PushedVersion } from "./records.ts";
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

/** AWS-RefreshAssociation's version, from the AWS-owned catalogue. */
function refreshVersion(): PushedVersion {
  const owned = awsOwnedDocuments.get(REFRESH_DOCUMENT);
  if (!owned) throw new Error(`${REFRESH_DOCUMENT} is missing from the AWS-owned catalogue`);
  return owned.version;
}

/** Invocations withdrawn (each its own transaction) at once. */
const PARALLEL = 16;

export class RunDispatch {
  constructor(
    private readonly store: ExecutionStore,
    private readonly commands: Pick<CommandStore, "payload" | "invocation" | "invocations" | "transition">,
    private readonly mailbox: Mailbox,
    private readonly clock: Clock,
  ) {}

  /**
   * A pushed run as it is written (a run not pushed: as planned): its command, from the document
   * version the plan read, and its first wave (each shard's first `Slots` targets) released with
   * their messages, all in the run's own write. Not released when the run may start no target
   * now (past Duration's cutoff, its calendars closed: the check every release makes; a new
   * run has no error yet). Writes nothing.
   */
  async prepare(
    scope: Scope,
    association: AssociationRecord,
    planned: PlannedExecution,
    version: PushedVersion,
  ): Promise<PlannedExecution> {
    const { execution, targets } = planned;
    if (!execution.Pushed || !execution.CommandId || targets.length === 0) return planned;
    // A refresh names the association: its command is AWS-RefreshAssociation's (AWS-owned: code, no read).
    const commandVersion = execution.Refresh ? refreshVersion() : version;
    const command = await this.planRunCommand(association, planned, commandVersion);
    const shards = execution.Shards ?? 1;
    const starts = !isHalted(execution, this.clock());
    const firstWave = new Set(
      targets
        .filter((target, index) => starts && target.Status === "Pending" && inFirstWave(target, index, shards))
        .map((target) => target.ResourceId),
    );
    const messages = command.invocations
      .filter((invocation) => firstWave.has(invocation.InstanceId))
      .map((invocation) => commandMessage(scope, invocation, command.payload));
    return {
      execution,
      targets: targets.map((target) => (firstWave.has(target.ResourceId) ? { ...target, Released: true } : target)),
      push: { command, messages: this.mailbox.queued(messages) },
    };
  }

  /** A pushed run written: the polls held here for its first wave's nodes are woken (the messages are in their queues). */
  dispatch(scope: Scope, planned: PlannedExecution): void {
    if (planned.push) this.mailbox.sent(scope, planned.push.messages);
  }

  /** The run's command: its document's content, the association's parameters, an invocation per target. */
  private async planRunCommand(association: AssociationRecord, planned: PlannedExecution, version: PushedVersion) {
    const { execution, targets } = planned;
    const commandId = execution.CommandId as string;
    const content = await documentContent(version.Content, version.DocumentFormat);
    const definitions = (parameterDefinitionsOf(version) ?? {}) as Record<string, { type?: string }>;
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
      documentName: version.Name,
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
    return command;
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
