/** ec2messages: the agent's report on a message (a command's status and its plugins' output). */
import type { SendReplyInput, SendReplyOutput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/message-channel.ts";
import { SendReply } from "../shared/validation/generated/operations/SendReply.ts";

export const handler = ssmOperation<SendReplyInput, SendReplyOutput>(SendReply, (request, context, runtime) =>
  runtime.get(messageChannel).sendReply(context, request),
);
