/** Run Command: each node's invocation of commands, with its plugins' output on request. */
import type { ListCommandInvocationsRequest, ListCommandInvocationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { commands } from "../shared/services/commands.ts";
import { ListCommandInvocations } from "../shared/validation/generated/operations/ListCommandInvocations.ts";

export const handler = ssmOperation<ListCommandInvocationsRequest, ListCommandInvocationsResult>(
  ListCommandInvocations,
  (request, context, runtime) => runtime.get(commands).listInvocations(context, request),
);
