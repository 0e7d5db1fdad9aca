/**
 * The store the message channel needs (implemented by shared/store/message-queue-store.ts): one
 * queue per node, read by key.
 */
import type { Scope } from "../../context.ts";
import type { QueuedMessage } from "./records.ts";

export interface MessageQueueStore {
  /** Puts messages in their nodes' queues, visible at once (a message already there is replaced). */
  put(scope: Scope, messages: QueuedMessage[]): Promise<void>;
  /** Every message in the node's queue (strongly consistent: a message just written is seen). */
  queued(scope: Scope, instanceId: string): Promise<QueuedMessage[]>;
  /**
   * Hands out one message: it becomes invisible until `visibleAt`, on condition that it is still
   * as read (`seen.VisibleAt`), so two polls never both get it. Returns whether this poll got it.
   */
  claim(scope: Scope, seen: QueuedMessage, visibleAt: number): Promise<boolean>;
  /** Takes a message off the queue; returns it as it was, or undefined when it was not there. */
  remove(scope: Scope, instanceId: string, messageId: string): Promise<QueuedMessage | undefined>;
  /**
   * Takes a message off the queue on condition that it was never handed out and has waited since
   * `sentBy` (epoch ms) at least; whether it was taken.
   */
  removeUndelivered(scope: Scope, instanceId: string, messageId: string, sentBy: number, now: number): Promise<boolean>;
}
