/** ec2messages: the agent could not handle a message (its command's invocation fails). */
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/message-channel.ts";
import { FailMessage } from "../shared/validation/generated/operations/FailMessage.ts";

export const handler = ssmOperation<{ MessageId: string }, Record<string, never>>(
  FailMessage,
  (request, context, runtime) => runtime.get(messageChannel).fail(context, request.MessageId),
);
