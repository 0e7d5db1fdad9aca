/**
 * The ec2messages channel and Run Command's state machine that the agent's replies move (the
 * channel's message owner), which tells a pushed association run what its command did
 * (associations/pushed-runs.ts): parts of the runtime (runtime.ts), on the queue's parts
 * (messages.ts).
 */
import { PushedRunResults } from "../domain/associations/pushed-runs.ts";
import { CommandProgress } from "../domain/commands/progress.ts";
import { MessageChannel } from "../domain/messages/messages.ts";
import { instanceAssociations } from "./instance-associations.ts";
import { commandStore, mailbox } from "./messages.ts";
import { nodeStore } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const commandProgress = (r: Runtime) => {
  const clock = r.options.clock ?? (() => new Date());
  return new CommandProgress(
    r.get(commandStore),
    r.get(mailbox),
    async (scope, instanceIds) =>
      new Set((await r.get(nodeStore).getNodes(scope, instanceIds)).map((node) => node.InstanceId)),
    r.options.clock,
    // Built when a move first needs it: most replies are to commands an operator sent.
    {
      moved: (scope, invocation, to) =>
        new PushedRunResults(r.get(instanceAssociations), clock).moved(scope, invocation, to),
    },
  );
};

export const messageChannel = (r: Runtime) =>
  new MessageChannel(r.get(mailbox), r.get(commandProgress), r.options.messagePollHoldMs ?? 0);
