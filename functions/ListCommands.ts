/** Run Command: the commands sent, newest first. */
import type { ListCommandsRequest, ListCommandsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { commands } from "../shared/services/commands.ts";
import { ListCommands } from "../shared/validation/generated/operations/ListCommands.ts";

export const handler = ssmOperation<ListCommandsRequest, ListCommandsResult>(
  ListCommands,
  (request, context, runtime) => runtime.get(commands).list(context, request),
);
