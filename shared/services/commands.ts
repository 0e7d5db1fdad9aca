/** Run Command's operations: a part of the runtime (runtime.ts), on the message channel's parts (messages.ts). */
import { Commands } from "../domain/commands/commands.ts";
import { documentReader } from "./document-reader.ts";
import { commandProgress } from "./message-channel.ts";
import { commandStore, mailbox } from "./messages.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const commands = (r: Runtime) =>
  new Commands(r.get(commandStore), r.get(commandProgress), r.get(mailbox), r.get(documentReader), r.get(nodes));
