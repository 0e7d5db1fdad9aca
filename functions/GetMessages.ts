/** ec2messages: the agent's long poll for Run Command messages; an empty queue, held as configured. */
import type { GetMessagesInput, GetMessagesOutput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/messages.ts";
import { GetMessages } from "../shared/validation/generated/operations/GetMessages.ts";

export const handler = ssmOperation<GetMessagesInput, GetMessagesOutput>(GetMessages, (request, context, runtime) =>
  runtime.get(messageChannel).getMessages(context, request),
);
