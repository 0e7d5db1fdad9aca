/** ec2messages: the agent is done with a message (it leaves the node's queue). */
import { ssmOperation } from "../shared/handler.ts";
import { messageChannel } from "../shared/services/message-channel.ts";
import { DeleteMessage } from "../shared/validation/generated/operations/DeleteMessage.ts";

export const handler = ssmOperation<{ MessageId: string }, Record<string, never>>(
  DeleteMessage,
  (request, context, runtime) => runtime.get(messageChannel).delete(context, request.MessageId),
);
