/**
 * The ec2messages channel the SSM Agent polls, the nodes' message queues behind it, and Run
 * Command's state machine that the agent's replies move (the channel's message owner): parts of
 * the runtime (runtime.ts). The queue's in-process signal is one per runtime, so a poll held in
 * this process wakes when anything in this process puts a message in its node's queue.
 */
import { CommandProgress } from "../domain/commands/progress.ts";
import { Mailbox } from "../domain/messages/mailbox.ts";
import { MessageChannel } from "../domain/messages/messages.ts";
import { MessageSignal } from "../domain/messages/signal.ts";
import { DynamoCommandStore } from "../store/command-store.ts";
import { DynamoMessageQueueStore } from "../store/message-queue-store.ts";
import { nodeStore } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const messageSignal = (_r: Runtime) => new MessageSignal();
export const mailbox = (r: Runtime) =>
  new Mailbox(new DynamoMessageQueueStore(r.db, r.tableName), r.get(messageSignal));
export const commandStore = (r: Runtime) => new DynamoCommandStore(r.db, r.tableName);

export const commandProgress = (r: Runtime) =>
  new CommandProgress(
    r.get(commandStore),
    r.get(mailbox),
    async (scope, instanceIds) =>
      new Set((await r.get(nodeStore).getNodes(scope, instanceIds)).map((node) => node.InstanceId)),
    r.options.clock,
  );

export const messageChannel = (r: Runtime) =>
  new MessageChannel(r.get(mailbox), r.get(commandProgress), r.options.messagePollHoldMs ?? 0);
