/** ec2messages: the agent's long poll for Run Command messages; an empty queue, held as configured. */
import type { GetMessagesInput, GetMessagesOutput } from "../shared/domain/messages/messages.ts";
import { ssmOperation } from "../shared/handler.ts";
import { GetMessages } from "../shared/validation/generated/operations/GetMessages.ts";

export const handler = ssmOperation<GetMessagesInput, GetMessagesOutput>(GetMessages, (request, context, services) =>
  services.messageChannel.getMessages(context, request),
);
