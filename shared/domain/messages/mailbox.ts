/**
 * Every node's queue of messages, as senders and the channel use it: a sender puts messages in
 * (Run Command's commands and cancels; State Manager's runs next), GetMessages takes what is
 * visible out for a while (the visibility timeout), and the first sign that the agent has a
 * message (a reply, its acknowledgement, FailMessage or DeleteMessage) takes it off for good.
 *
 * A poll may be held: it then answers as soon as a message for the node is put in (the
 * in-process signal, signal.ts), or reads again every `rereadMs` (a second by default: deployed,
 * every sender is another process), until the hold ends. A hold that ends with no signal answers
 * empty without a last read: the agent polls again at once, and that poll reads first.
 * `npm start` serves every sender in its own process and re-reads only at the next poll
 * (infra/local/start.ts): thousands of held polls re-reading every second would be thousands of
 * DynamoDB reads a second (issue 30, BENCHMARKS.md "A fleet"). There, too, a queue this process
 * read empty, with nothing sent to it since, is trusted empty for `emptyTrustMs` (signal.ts):
 * a poll of it then reads nothing at all, and a fleet's polls, most of a fleet's requests, cost
 * DynamoDB nothing. The trust is bounded, so that a message another process wrote (a second
 * server on the same table) still reaches its node, within `emptyTrustMs` and a hold; a restart
 * trusts nothing (the signal lives in memory).
 */
import type { Scope } from "../../context.ts";
import { timeInLine, waitIdle } from "../../lib/work-slot.ts";
import { payloadDigest } from "./message-id.ts";
import type { OutgoingMessage, QueuedMessage } from "./records.ts";
import type { MessageSignal } from "./signal.ts";
import type { MessageQueueStore } from "./store.ts";

/** While a poll is held, its queue is read again this often by default (a sender in another process is not heard). */
export const HELD_POLL_REREAD_MS = 1000;

/** The visibility timeout when a poll names none (the agent always sends 10). */
export const DEFAULT_VISIBILITY_SECONDS = 10;

const nodeKey = (scope: Scope, instanceId: string) => `${scope.accountId}#${scope.region}#${instanceId}`;

export class Mailbox {
  constructor(
    private readonly store: MessageQueueStore,
    private readonly signal: MessageSignal,
    private readonly rereadMs: number = HELD_POLL_REREAD_MS,
    /** How long a queue read empty, with nothing sent to it here since, is known empty without a read (0: never). */
    private readonly emptyTrustMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  /** Puts messages in their nodes' queues, visible at once, and wakes the polls held for those nodes here. */
  async send(scope: Scope, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const queued = this.queued(messages);
    await this.store.put(scope, queued);
    this.sent(scope, queued);
  }

  /**
   * Messages as their queues keep them, visible from now: for a sender that writes them in its
   * own transaction (a pushed association run's first wave, with the run), then calls `sent`.
   */
  queued(messages: readonly OutgoingMessage[]): QueuedMessage[] {
    const now = this.now();
    return messages.map((message) => ({
      ...message,
      PayloadDigest: payloadDigest(message.Payload),
      VisibleAt: now,
      Deliveries: 0,
    }));
  }

  /** Messages now in their queues: wakes the polls held for their nodes here. */
  sent(scope: Scope, messages: readonly Pick<QueuedMessage, "Destination">[]): void {
    for (const node of new Set(messages.map((message) => message.Destination))) {
      this.signal.notify(nodeKey(scope, node));
    }
  }

  /**
   * The messages visible in the node's queue now, each handed to this poll alone and hidden for
   * `visibilitySeconds`; with none, waits up to `holdMs` for one.
   */
  async receive(scope: Scope, instanceId: string, visibilitySeconds: number, holdMs: number): Promise<QueuedMessage[]> {
    const node = nodeKey(scope, instanceId);
    // A poll that waited in line for its place (infra/local/admission.ts) holds only the rest, so
    // that its answer still comes within the agent's 20 s.
    const until = this.now() + Math.max(0, holdMs - timeInLine());
    for (;;) {
      const mark = this.signal.mark();
      if (!this.knownEmpty(node)) {
        const claimed = await this.claimVisible(scope, instanceId, visibilitySeconds, mark);
        if (claimed.length > 0) return claimed;
      }
      const left = until - this.now();
      if (left <= 0) return [];
      // A message sent while the queue was read may have been missed, and its wake-up has passed: read again.
      if (this.signal.sentSince(node, mark)) continue;
      // Waiting, not working: the held poll gives up its place among the requests at work (lib/work-slot.ts).
      const woken = await waitIdle(() => this.signal.wait(node, Math.min(left, this.rereadMs)));
      if (!woken && until - this.now() <= 0) return [];
    }
  }

  /** Takes a message off its queue for good; the message as it was, if it was there. */
  take(scope: Scope, instanceId: string, messageId: string): Promise<QueuedMessage | undefined> {
    return this.store.remove(scope, instanceId, messageId);
  }

  /**
   * The poll path's claim of a message (executions/agent-runs.ts): taken off the queue only if no
   * poll of the channel ever got it and it has waited `waitedMs` (a node that polls the channel
   * gets it within one round trip); whether it was taken.
   */
  takeUndelivered(scope: Scope, instanceId: string, messageId: string, waitedMs: number): Promise<boolean> {
    const now = this.now();
    return this.store.removeUndelivered(scope, instanceId, messageId, now - waitedMs, now);
  }

  /** Whether the node's queue is known empty: read empty here within `emptyTrustMs`, nothing sent to it since. */
  private knownEmpty(node: string): boolean {
    const since = this.emptyTrustMs > 0 ? this.signal.emptySince(node) : undefined;
    return since !== undefined && this.now() - since < this.emptyTrustMs;
  }

  /** `mark`: the signal's, taken before this read (an empty queue is remembered only if no send overlapped it). */
  private async claimVisible(
    scope: Scope,
    instanceId: string,
    visibilitySeconds: number,
    mark: number,
  ): Promise<QueuedMessage[]> {
    const now = this.now();
    const queued = await this.store.queued(scope, instanceId);
    // Not a message at all, not even one handed out and hidden (it may come back): empty.
    if (queued.length === 0) this.signal.readEmpty(nodeKey(scope, instanceId), mark, now);
    const visible = queued.filter((message) => message.VisibleAt <= now);
    // A message its sender gave up on is dropped, never handed out.
    const expired = visible.filter((message) => message.DeliverBy !== undefined && message.DeliverBy <= now);
    await Promise.all(expired.map((message) => this.store.remove(scope, instanceId, message.MessageId)));
    const deliverable = visible
      .filter((message) => !expired.includes(message))
      .sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate) || a.MessageId.localeCompare(b.MessageId));
    const visibleAt = now + Math.max(0, visibilitySeconds) * 1000;
    const claimed = await Promise.all(deliverable.map((message) => this.store.claim(scope, message, visibleAt)));
    return deliverable
      .filter((_, i) => claimed[i])
      .map((message) => ({ ...message, VisibleAt: visibleAt, Deliveries: message.Deliveries + 1 }));
  }
}
