/**
 * A new command, planned (nothing written): its head, its payload, one invocation per node in
 * node-id order, and its rate controls laid out as slot chains (store/command-store.ts):
 *
 * - MaxConcurrency C (a number, or a percentage of the targets; AWS's default for SendCommand is
 *   "50", as its published output shows) lets the first C invocations go at once; invocation i
 *   hands its slot to invocation i + C when it ends, so at most C are ever out;
 * - MaxErrors E ("0" by default, as published: the first error stops the command) is checked by
 *   each hand-over against its chain's gate, a copy of the error count, so no invocation is
 *   released once E + 1 errors are counted. Gates exist only when something can still wait
 *   (C < targets) and E can be exceeded (E < targets); their number is min(C, 16).
 */
import type { Target } from "@aws-sdk/client-ssm";
import { COMMAND_DEFAULTS, concurrencyLimit, errorLimit } from "../../lib/rate-controls.ts";
import { shardCount, shardOfIndex } from "../../lib/shards.ts";
import type { CommandRecord, InvocationRecord, NewCommand } from "./records.ts";

/** A gate per chain, at most this many (an error writes every gate in one transaction). */
export const MAX_GATES = 16;

/** The delivery timeout when TimeoutSeconds is not given (AWS's default, 1 hour). */
export const DEFAULT_TIMEOUT_SECONDS = 3600;

/** A run's execution timeout when the document has no executionTimeout (the agent's default, 1 hour). */
export const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 3600;

export type CommandPlanInput = {
  commandId: string;
  now: Date;
  nodeIds: readonly string[];
  documentName: string;
  documentVersion: string;
  comment: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets: Target[];
  timeoutSeconds: number;
  executionTimeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  plugins: string[];
  payload: string;
  rest: Pick<
    CommandRecord,
    | "OutputS3Region"
    | "OutputS3BucketName"
    | "OutputS3KeyPrefix"
    | "ServiceRole"
    | "NotificationConfig"
    | "CloudWatchOutputConfig"
    | "AlarmConfiguration"
  >;
};

export function planCommand(input: CommandPlanInput): NewCommand {
  const nodes = [...new Set(input.nodeIds)].sort();
  const count = nodes.length;
  const concurrency = Math.min(concurrencyLimit(input.maxConcurrency, count, COMMAND_DEFAULTS), Math.max(count, 1));
  const limit = errorLimit(input.maxErrors, count, COMMAND_DEFAULTS);
  const gates = concurrency < count && limit < count ? Math.min(concurrency, MAX_GATES) : 0;
  const shards = shardCount(count, concurrency);
  const requested = input.now.toISOString();
  const at = (seconds: number) => new Date(input.now.getTime() + seconds * 1000).toISOString();
  const deliveryDeadline = at(input.timeoutSeconds);
  const command: CommandRecord = {
    CommandId: input.commandId,
    DocumentName: input.documentName,
    DocumentVersion: input.documentVersion,
    Comment: input.comment,
    Parameters: input.parameters,
    InstanceIds: input.instanceIds,
    Targets: input.targets,
    RequestedDateTime: requested,
    ExpiresAfter: at(input.timeoutSeconds + input.executionTimeoutSeconds),
    DeliveryDeadline: deliveryDeadline,
    TimeoutSeconds: input.timeoutSeconds,
    MaxConcurrency: input.maxConcurrency,
    MaxErrors: input.maxErrors,
    TargetCount: count,
    Concurrency: concurrency,
    ErrorLimit: limit,
    Gates: gates,
    Shards: shards,
    Plugins: input.plugins,
    ...input.rest,
  };
  const invocations: InvocationRecord[] = nodes.map((instanceId, seq) => ({
    CommandId: input.commandId,
    InstanceId: instanceId,
    State: "Pending",
    RequestedDateTime: requested,
    DeliveryDeadline: deliveryDeadline,
    Seq: seq,
    Shard: shardOfIndex(seq, shards),
    Released: seq < concurrency,
    ...(seq + concurrency < count ? { Next: nodes[seq + concurrency] } : {}),
    ...(gates > 0 ? { Gate: (seq % concurrency) % gates } : {}),
    Gates: gates,
    ErrorLimit: limit,
  }));
  return { command, payload: input.payload, invocations };
}
