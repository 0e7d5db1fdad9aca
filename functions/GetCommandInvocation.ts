/** Run Command: one node's invocation of a command, or one of its plugins, with its output. */
import type { GetCommandInvocationRequest, GetCommandInvocationResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { commands } from "../shared/services/commands.ts";
import { GetCommandInvocation } from "../shared/validation/generated/operations/GetCommandInvocation.ts";

export const handler = ssmOperation<GetCommandInvocationRequest, GetCommandInvocationResult>(
  GetCommandInvocation,
  (request, context, runtime) => runtime.get(commands).getInvocation(context, request),
);
