/**
 * The command state machine: how invocations move, from what the agent says on the message
 * channel (it is the channel's MessageOwner for command messages), from CancelCommand, and from
 * time (the scheduler's tick settles what timed out).
 *
 *   Pending ──(reply, or acknowledgement)──▶ InProgress ──(final reply)──▶ Success | Failed | ExecutionTimedOut | Cancelled
 *   Pending (waiting for a slot) ──(slot handed over)──▶ Pending (released: its message sent)
 *   Pending ──(delivery timeout)──▶ DeliveryTimedOut, or Undeliverable when its node is gone
 *   Pending (waiting) ──(MaxErrors exceeded)──▶ Terminated
 *   Pending ──(CancelCommand)──▶ Cancelled;  InProgress ──(CancelCommand)──▶ Cancelling ──(final reply)──▶ …
 *   InProgress, Cancelling ──(the command expires)──▶ DeliveryTimedOut, Cancelled
 *
 * Every move is the store's conditional transition from the state it was read in: the first
 * final state wins, and a duplicate, late or reordered reply changes nothing it should not.
 * An invocation that ends hands its slot to the next of its chain (plan.ts).
 */
import { randomUUID } from "node:crypto";
import type { Scope } from "../../context.ts";
import { errorsStop } from "../../lib/rate-controls.ts";
import type { Mailbox } from "../messages/mailbox.ts";
import { messageIdOf, topicOf } from "../messages/message-id.ts";
import type { MessageOwner, MessageRef } from "../messages/messages.ts";
import type { OutgoingMessage } from "../messages/records.ts";
import { cancelPayload } from "./payload.ts";
import type { CommandRecord, InvocationRecord, InvocationState } from "./records.ts";
import { parseReply, type Reply } from "./replies.ts";
import { COUNTS_AGAINST_MAX_ERRORS, isTerminal, UNDELIVERED } from "./statuses.ts";
import type { CommandStore, InvocationFields } from "./store.ts";

export type Clock = () => Date;

/** Which of the given nodes are still registered (a node deregistered since is Undeliverable). */
export type NodeCheck = (scope: Scope, instanceIds: string[]) => Promise<Set<string>>;

/** Attempts at a move that lost a race to another writer of the same invocation. */
const ATTEMPTS = 5;

/** Invocations changed at once by a cancel, a stop or a settle. */
const PARALLEL = 16;

/** Told each move of an invocation that carries an association run (InvocationRecord.Run). */
export interface RunResults {
  moved(scope: Scope, invocation: InvocationRecord, to: InvocationState): Promise<void>;
}

export class CommandProgress implements MessageOwner {
  constructor(
    private readonly store: CommandStore,
    private readonly mailbox: Mailbox,
    private readonly registered: NodeCheck,
    readonly clock: Clock = () => new Date(),
    private readonly runs?: RunResults,
  ) {}

  /** A move made: an association run's invocation tells its run (associations/pushed-runs.ts). */
  private async moved(scope: Scope, invocation: InvocationRecord, to: InvocationState): Promise<void> {
    if (invocation.Run) await this.runs?.moved(scope, invocation, to);
  }

  /** The message a released invocation gets. */
  commandMessage(scope: Scope, invocation: MessageFields, payload: string): OutgoingMessage {
    return commandMessage(scope, invocation, payload);
  }

  // The message channel's reports (MessageOwner).

  /** The agent has the message: a released, pending invocation is InProgress. */
  async received(scope: Scope, message: MessageRef): Promise<void> {
    // Usually a no-op read: the agent's first reply, sent before its acknowledgement, moved it.
    const invocation = await this.store.invocation(scope, message.ownerId, message.instanceId);
    if (invocation) await this.deliver(scope, invocation);
  }

  async replied(scope: Scope, message: MessageRef, payload: string): Promise<boolean> {
    const reply = parseReply(payload);
    if (!reply) return false;
    const invocation = await this.store.invocation(scope, message.ownerId, message.instanceId);
    if (!invocation) return false;
    // A step's output is kept whenever it arrives: a multi-step document's steps are reported in
    // its intermediate replies only, which may come after the final one.
    const recorded = reply.plugins.map((plugin) =>
      this.store.recordOutput(scope, { ...plugin, CommandId: invocation.CommandId, InstanceId: invocation.InstanceId }),
    );
    const moved =
      reply.state === "InProgress"
        ? this.deliver(scope, invocation)
        : this.finish(scope, invocation, reply.state, {
            ...(reply.traceOutput ? { TraceOutput: reply.traceOutput } : {}),
            ...endFields(reply.plugins),
          });
    const [changed] = await Promise.all([moved, ...recorded]);
    return changed || reply.plugins.length > 0;
  }

  /** FailMessage: the agent could not handle the command's message; the invocation failed. */
  async failed(scope: Scope, message: MessageRef): Promise<void> {
    const invocation = await this.store.invocation(scope, message.ownerId, message.instanceId);
    if (invocation) await this.finish(scope, invocation, "Failed", { ResponseCode: -1 });
  }

  /**
   * The message was handed out again, its last handing out never settled: a sent invocation
   * the agent has not confirmed is Delayed ("The system attempted to send the command to the
   * managed node but wasn't successful. The system retries again.", Understanding command
   * statuses) until the agent's first reply or acknowledgement.
   */
  async redelivered(scope: Scope, message: MessageRef): Promise<void> {
    const invocation = await this.store.invocation(scope, message.ownerId, message.instanceId);
    if (invocation?.State === "Pending" && invocation.Released)
      await this.store.transition(scope, invocation, "Delayed");
  }

  private async deliver(scope: Scope, invocation: InvocationRecord) {
    if (!UNDELIVERED.has(invocation.State) || !invocation.Released) return false;
    const moved = await this.store.transition(scope, invocation, "InProgress", {
      DeliveredAt: this.clock().toISOString(),
    });
    if (moved) await this.moved(scope, invocation, "InProgress");
    return moved;
  }

  /**
   * Ends an invocation in `to` unless it has ended already (the first final state wins), then
   * hands its slot on and, for an error, stops the command once MaxErrors is exceeded.
   */
  private async finish(
    scope: Scope,
    read: InvocationRecord,
    to: InvocationState,
    fields: InvocationFields,
  ): Promise<boolean> {
    let current: InvocationRecord | undefined = read;
    let moved = false;
    for (let attempt = 1; current && attempt <= ATTEMPTS; attempt++) {
      // An invocation still waiting for a slot was never sent: no reply can end it.
      if (isTerminal(current.State) || (current.State === "Pending" && !current.Released)) break;
      const errorGates = COUNTS_AGAINST_MAX_ERRORS.has(to) ? current.Gates : 0;
      if (await this.store.transition(scope, current, to, fields, errorGates)) {
        await this.moved(scope, current, to);
        current = { ...current, State: to };
        moved = true;
        break;
      }
      current = await this.store.invocation(scope, read.CommandId, read.InstanceId);
    }
    // Also after a duplicate final reply: the slot hand-over and the stop are idempotent, and a
    // crash after the move (the agent then sends the reply again) still gets them done.
    if (current && isTerminal(current.State)) await this.ended(scope, current);
    return moved;
  }

  /** After an invocation ended: MaxErrors' stop, then its slot to the next of its chain. */
  private async ended(scope: Scope, invocation: InvocationRecord): Promise<void> {
    if (invocation.Gates > 0 && COUNTS_AGAINST_MAX_ERRORS.has(invocation.State)) {
      await this.stopIfOverLimit(scope, invocation.CommandId, invocation.ErrorLimit);
    }
    await this.passSlot(scope, invocation);
  }

  /**
   * Hands the slot of an invocation that ended to the next of its chain; past invocations that
   * were cancelled one by one or are undeliverable, to the one after. Not past an invocation
   * whose command was cancelled, stopped or timed out: nothing more is released then.
   */
  async passSlot(scope: Scope, ended: InvocationRecord): Promise<void> {
    let from = ended;
    let command: CommandRecord | undefined;
    while (from.Next) {
      const next = { commandId: from.CommandId, instanceId: from.Next, gate: from.Gate, errorLimit: from.ErrorLimit };
      if (await this.store.release(scope, next, this.clock())) {
        const [invocation, payload] = await Promise.all([
          this.store.invocation(scope, next.commandId, next.instanceId),
          this.store.payload(scope, next.commandId),
        ]);
        if (invocation && payload !== undefined) {
          await this.mailbox.send(scope, [this.commandMessage(scope, invocation, payload)]);
        }
        return;
      }
      const skipped = await this.store.invocation(scope, next.commandId, next.instanceId);
      if (!skipped || !(skipped.State === "Undeliverable" || skipped.State === "Cancelled")) return;
      command ??= await this.store.get(scope, next.commandId);
      if (!command || command.CancelRequested) return;
      from = skipped;
    }
  }

  /** MaxErrors: once the errors counted exceed it, every invocation still waiting is Terminated. */
  async stopIfOverLimit(scope: Scope, commandId: string, errorLimit: number): Promise<void> {
    if (!errorsStop(await this.store.errors(scope, commandId), errorLimit)) return;
    await this.eachInvocation(scope, commandId, async (invocation) => {
      if (invocation.State === "Pending" && !invocation.Released) {
        await this.store.transition(scope, invocation, "Terminated");
      }
    });
  }

  /**
   * Cancels one invocation: one not yet sent is Cancelled (its message taken back), one the
   * agent has is Cancelling and gets a cancel message (its final reply ends it). Returns once the
   * move is made, or the invocation had already ended.
   */
  async cancel(scope: Scope, command: CommandRecord, read: InvocationRecord): Promise<void> {
    let current: InvocationRecord | undefined = read;
    for (let attempt = 1; current && attempt <= ATTEMPTS; attempt++) {
      if (isTerminal(current.State) || current.State === "Cancelling") return;
      if (UNDELIVERED.has(current.State)) {
        const messageId = messageIdOf(current.CommandId, current.InstanceId);
        const taken = current.Released ? await this.mailbox.take(scope, current.InstanceId, messageId) : undefined;
        if (await this.store.transition(scope, current, "Cancelled")) {
          // Handed out already (or gone from the queue): the agent may be running it.
          if (current.Released && (!taken || taken.Deliveries > 0)) await this.sendCancel(scope, command, current);
          if (current.Released && !command.CancelRequested)
            await this.passSlot(scope, { ...current, State: "Cancelled" });
          return;
        }
      } else if (await this.store.transition(scope, current, "Cancelling")) {
        await this.sendCancel(scope, command, current);
        return;
      }
      current = await this.store.invocation(scope, read.CommandId, read.InstanceId);
    }
  }

  private sendCancel(scope: Scope, command: CommandRecord, invocation: InvocationRecord): Promise<void> {
    return this.mailbox.send(scope, [
      {
        // Its own id: the agent keeps a message's state under the command id its id names.
        MessageId: messageIdOf(randomUUID(), invocation.InstanceId),
        Destination: invocation.InstanceId,
        Topic: topicOf("cancelCommand", scope.region),
        Payload: cancelPayload(messageIdOf(invocation.CommandId, invocation.InstanceId)),
        CreatedDate: this.clock().toISOString(),
        DeliverBy: Date.parse(command.ExpiresAfter),
      },
    ]);
  }

  /**
   * The scheduler's part: every command with a deadline due settles what timed out. Past its
   * delivery timeout an invocation not delivered is DeliveryTimedOut (Undeliverable when its
   * node is no longer registered); past its expiry ("ExpiresAfter ... changes status to
   * DeliveryTimedOut for all invocations that have the status InProgress, Pending, or Delayed")
   * a running one is DeliveryTimedOut and a cancelling one Cancelled. Returns how many commands
   * it settled.
   */
  async settleDue(now: Date = this.clock()): Promise<number> {
    const due = await this.store.due(now, 100);
    for (const { scope, commandId } of due) await this.settle(scope, commandId, now);
    return due.length;
  }

  async settle(scope: Scope, commandId: string, now: Date): Promise<void> {
    const command = await this.store.get(scope, commandId);
    if (!command) return;
    if (command.Gates > 0) await this.stopIfOverLimit(scope, commandId, command.ErrorLimit);
    const undelivered = now.getTime() >= Date.parse(command.DeliveryDeadline);
    const expired = now.getTime() >= Date.parse(command.ExpiresAfter);
    let open = 0;
    await this.eachInvocation(scope, commandId, async (invocation, registered) => {
      let to: InvocationState | undefined;
      if (UNDELIVERED.has(invocation.State) && undelivered) {
        to = registered.has(invocation.InstanceId) ? "DeliveryTimedOut" : "Undeliverable";
      } else if (invocation.State === "InProgress" && expired) to = "DeliveryTimedOut";
      else if (invocation.State === "Cancelling" && expired) to = "Cancelled";
      if (to && (await this.store.transition(scope, invocation, to))) {
        await this.moved(scope, invocation, to);
        if (invocation.Released) {
          await this.mailbox.take(scope, invocation.InstanceId, messageIdOf(commandId, invocation.InstanceId));
        }
        return;
      }
      if (!isTerminal(invocation.State)) open++;
    });
    await this.store.setDeadline(scope, commandId, open > 0 && !expired ? command.ExpiresAfter : undefined);
  }

  /** Runs `act` on every invocation of a command, a page at a time, with which of the page's nodes are registered. */
  private async eachInvocation(
    scope: Scope,
    commandId: string,
    act: (invocation: InvocationRecord, registered: Set<string>) => Promise<void>,
  ): Promise<void> {
    let after: string | undefined;
    let more = true;
    while (more) {
      const page = await this.store.invocations(scope, commandId, after, 100);
      const pending = page.items.filter((invocation) => UNDELIVERED.has(invocation.State)).map((i) => i.InstanceId);
      const registered = pending.length > 0 ? await this.registered(scope, pending) : new Set<string>();
      for (let i = 0; i < page.items.length; i += PARALLEL) {
        await Promise.all(page.items.slice(i, i + PARALLEL).map((invocation) => act(invocation, registered)));
      }
      after = page.items.at(-1)?.InstanceId;
      more = page.more;
    }
  }
}

type MessageFields = Pick<
  InvocationRecord,
  "CommandId" | "InstanceId" | "RequestedDateTime" | "DeliveryDeadline" | "Run"
>;

/** The send-command message of one invocation (docs/message-channel.md). */
export function commandMessage(scope: Scope, invocation: MessageFields, payload: string): OutgoingMessage {
  return {
    MessageId: messageIdOf(invocation.CommandId, invocation.InstanceId),
    Destination: invocation.InstanceId,
    Topic: topicOf("sendCommand", scope.region),
    Payload: payload,
    CreatedDate: invocation.RequestedDateTime,
    DeliverBy: Date.parse(invocation.DeliveryDeadline),
    ...(invocation.Run ? { Run: invocation.Run } : {}),
  };
}

/** The execution times and code of a final reply's plugins (the invocation as a whole). */
function endFields(plugins: Reply["plugins"]): InvocationFields {
  if (plugins.length === 0) return {};
  const starts = plugins
    .map((p) => p.StartDateTime)
    .filter((t): t is string => !!t)
    .sort();
  const ends = plugins
    .map((p) => p.EndDateTime)
    .filter((t): t is string => !!t)
    .sort();
  const failing = plugins.find((p) => p.Status !== "Success" && p.Status !== "Skipped");
  return {
    ResponseCode: (failing ?? plugins.at(-1))?.ResponseCode ?? 0,
    ...(starts[0] ? { ExecutionStartDateTime: starts[0] } : {}),
    ...(ends.at(-1) ? { ExecutionEndDateTime: ends.at(-1) } : {}),
  };
}
