/** ec2messages: the agent has a message; it is never handed out again. */
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/message-channel.ts";
import { AcknowledgeMessage } from "../shared/validation/generated/operations/AcknowledgeMessage.ts";

export const handler = ssmOperation<{ MessageId: string }, Record<string, never>>(
  AcknowledgeMessage,
  (request, context, runtime) => runtime.get(messageChannel).acknowledge(context, request.MessageId),
);
