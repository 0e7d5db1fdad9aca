/** The ec2messages channel the SSM Agent polls (nothing stored): a part of the runtime (runtime.ts). */
import { MessageChannel } from "../domain/messages/messages.ts";
import type { Runtime } from "./runtime.ts";

export const messageChannel = (r: Runtime) => new MessageChannel(r.options.messagePollHoldMs ?? 0);
