/**
 * The ec2messages channel and Run Command's state machine that the agent's replies move (the
 * channel's message owner), which tells a pushed association run what its command did
 * (associations/pushed-runs.ts): parts of the runtime (runtime.ts), on the queue's parts
 * (messages.ts).
 */
import { CommandProgress } from "../domain/commands/progress.ts";
import { MessageChannel } from "../domain/messages/messages.ts";
import { commandStore, mailbox } from "./messages.ts";
import { nodeStore } from "./node-store.ts";
import type { Runtime } from "./runtime.ts";

export const commandProgress = (r: Runtime) => {
  const clock = r.options.clock ?? (() => new Date());
  return new CommandProgress(
    r.get(commandStore),
    r.get(mailbox),
    // The node store alone (services/node-store.ts), which the wiring carries anyway.
    async (scope, instanceIds) =>
      new Set((await r.get(nodeStore).getNodes(scope, instanceIds)).map((node) => node.InstanceId)),
    r.options.clock,
    // Loaded when a move first needs it (an association run's invocation): most replies are to
    // commands an operator sent, and the message functions' cold start carries no association
    // code (a dynamic import is its own chunk: test/infra/bundle.test.ts).
    {
      moved: async (scope, invocation, to) => {
        const [{ PushedRunResults }, { instanceAssociations }] = await Promise.all([
          import("../domain/associations/pushed-runs.ts"),
          import("./instance-associations.ts"),
        ]);
        await new PushedRunResults(r.get(instanceAssociations), clock).moved(scope, invocation, to);
      },
    },
  );
};

export const messageChannel = (r: Runtime) =>
  new MessageChannel(r.get(mailbox), r.get(commandProgress), r.options.messagePollHoldMs ?? 0);
