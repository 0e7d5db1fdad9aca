/** ec2messages: the agent's reply to a message (a run's status); accepted, no action taken. */
import type { SendReplyInput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { messageChannel } from "../shared/runtime.ts";

export const handler = ssmOperation<SendReplyInput, unknown>("SendReply", (request, context) =>
  messageChannel().sendReply(context, request),
);
