/** Run Command: cancels a command on its nodes, or on some of them. */
import type { CancelCommandRequest, CancelCommandResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { commands } from "../shared/services/commands.ts";
import { CancelCommand } from "../shared/validation/generated/operations/CancelCommand.ts";

export const handler = ssmOperation<CancelCommandRequest, CancelCommandResult>(
  CancelCommand,
  (request, context, runtime) => runtime.get(commands).cancel(context, request),
);
