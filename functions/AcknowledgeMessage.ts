/** ec2messages: the agent settles a message it received; none is ever delivered here, so it is accepted as is. */
import { ssmOperation } from "../shared/protocol/operation.ts";
import { messageChannel } from "../shared/runtime.ts";

export const handler = ssmOperation<{ MessageId: string }, Record<string, never>>(
  "AcknowledgeMessage",
  (request, context) => messageChannel().settle(context, request.MessageId),
);
