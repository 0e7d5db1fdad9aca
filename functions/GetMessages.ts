/** ec2messages: the agent's long poll for its node's messages (Run Command's commands and cancels). */
import type { GetMessagesInput, GetMessagesOutput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/message-channel.ts";
import { GetMessages } from "../shared/validation/generated/operations/GetMessages.ts";

export const handler = ssmOperation<GetMessagesInput, GetMessagesOutput>(GetMessages, (request, context, runtime) =>
  runtime.get(messageChannel).getMessages(context, request),
);
