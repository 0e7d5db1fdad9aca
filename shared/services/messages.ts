/**
 * The ec2messages channel the SSM Agent polls, the nodes' message queues behind it. Run
 * Command's state machine that the agent's replies move (the channel's message owner): parts of
 * the runtime (runtime.ts). The queue's in-process signal is one per runtime, so a poll held in
 * this process wakes when anything in this process puts a message in its node's queue.
 */
import { Mailbox } from "../domain/messages/mailbox.ts";
import { MessageSignal } from "../domain/messages/signal.ts";
import { DynamoCommandStore } from "../store/command-store.ts";
import { DynamoMessageQueueStore } from "../store/message-queue-store.ts";
import type { Runtime } from "./runtime.ts";

export const messageSignal = (_r: Runtime) => new MessageSignal();
export const mailbox = (r: Runtime) =>
  new Mailbox(
    new DynamoMessageQueueStore(r.db, r.tableName),
    r.get(messageSignal),
    r.options.messagePollRereadMs,
    r.options.messageQueueEmptyTrustMs,
  );
export const commandStore = (r: Runtime) => new DynamoCommandStore(r.db, r.tableName);
