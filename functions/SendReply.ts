/** ec2messages: the agent's reply to a message (a run's status); accepted, no action taken. */
import type { SendReplyInput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/messages.ts";
import { SendReply } from "../shared/validation/generated/operations/SendReply.ts";

export const handler = ssmOperation<SendReplyInput, unknown>(SendReply, (request, context, runtime) =>
  runtime.get(messageChannel).sendReply(context, request),
);
