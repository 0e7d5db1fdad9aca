/** Run Command: sends a document's command to managed nodes, over their message channel. */
import type { SendCommandRequest, SendCommandResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { commands } from "../shared/services/commands.ts";
import { SendCommand } from "../shared/validation/generated/operations/SendCommand.ts";

export const handler = ssmOperation<SendCommandRequest, SendCommandResult>(SendCommand, (request, context, runtime) =>
  runtime.get(commands).send(context, request),
);
