/** ec2messages: the agent settles a message it received; none is ever delivered here, so it is accepted as is. */
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/messages.ts";
import { DeleteMessage } from "../shared/validation/generated/operations/DeleteMessage.ts";

export const handler = ssmOperation<{ MessageId: string }, Record<string, never>>(
  DeleteMessage,
  (request, context, runtime) => runtime.get(messageChannel).settle(context, request.MessageId),
);
