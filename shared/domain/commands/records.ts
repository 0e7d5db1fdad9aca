/**
 * Run Command as the store keeps it: a command head (the request as given, what it resolved to,
 * its rate controls), one invocation per targeted node, and what each plugin (step) of a node
 * reported. Counts are not on the head: they are the store's counters (store.ts `counts`), so no
 * reply ever writes the head.
 */
import type { AlarmConfiguration, CloudWatchOutputConfig, NotificationConfig, Target } from "@aws-sdk/client-ssm";

/**
 * An invocation's detailed status (the API's StatusDetails), AWS's "Understanding command
 * statuses": each maps to one Status of the API's enum (statuses.ts).
 */
export type InvocationState =
  | "Pending"
  | "InProgress"
  | "Delayed"
  | "Success"
  | "Failed"
  | "ExecutionTimedOut"
  | "DeliveryTimedOut"
  | "Cancelling"
  | "Cancelled"
  | "Terminated"
  | "Undeliverable";

export type CommandRecord = {
  CommandId: string;
  DocumentName: string;
  /** As given ("" when not), as AWS echoes it. */
  DocumentVersion: string;
  Comment: string;
  /** As given. */
  Parameters: Record<string, string[]>;
  /** The nodes named by the InstanceIds member (or a lower-case `instanceids` target). */
  InstanceIds: string[];
  Targets: Target[];
  /** ISO-8601 */
  RequestedDateTime: string;
  /** ISO-8601: delivery timeout plus execution timeout after the request. */
  ExpiresAfter: string;
  /** ISO-8601: an invocation not delivered by then is DeliveryTimedOut. */
  DeliveryDeadline: string;
  TimeoutSeconds: number;
  OutputS3Region?: string;
  OutputS3BucketName: string;
  OutputS3KeyPrefix: string;
  /** As given, or AWS's defaults "50" and "0". */
  MaxConcurrency: string;
  MaxErrors: string;
  ServiceRole: string;
  NotificationConfig: NotificationConfig;
  CloudWatchOutputConfig: CloudWatchOutputConfig;
  AlarmConfiguration?: AlarmConfiguration;
  TargetCount: number;
  /** MaxConcurrency resolved against TargetCount: the number of slot chains. */
  Concurrency: number;
  /** MaxErrors resolved: the command stops releasing once errors exceed it. */
  ErrorLimit: number;
  /** Copies of the error count kept for the chains' releases (0: no chain waits, or no limit can be reached). */
  Gates: number;
  /** Its counter shards (shared/lib/shards.ts `shardCount`): each invocation moves its own. */
  Shards: number;
  /** The document's plugins (steps) by the id the agent reports them under, in document order. */
  Plugins: string[];
  /** Set by CancelCommand for every node: nothing more is released. */
  CancelRequested?: boolean;
};

export type InvocationRecord = {
  CommandId: string;
  InstanceId: string;
  State: InvocationState;
  /** ISO-8601, the command's. */
  RequestedDateTime: string;
  /** Its place in release order (node id order); the first `Concurrency` are released at once. */
  Seq: number;
  /** Whether its message has been (or is being) sent; an unreleased invocation waits for a slot. */
  Released: boolean;
  /** The invocation its slot passes to when this one ends (`Seq + Concurrency`). */
  Next?: string;
  /** The gate its release checks (see CommandRecord.Gates). */
  Gate?: number;
  /** Its counter shard, by its place (`shardOfIndex`): invocations running at once never share one while MaxConcurrency ≤ 32. */
  Shard: number;
  /** The command's gates: an error here counts on each of them. */
  Gates: number;
  /** The command's ErrorLimit (what a release of the next one checks its gate against). */
  ErrorLimit: number;
  /** ISO-8601, the command's: not released, nor delivered, after it. */
  DeliveryDeadline: string;
  /** ISO-8601: when the agent first said it had the message. */
  DeliveredAt?: string;
  ResponseCode?: number;
  /** ISO-8601 */
  ExecutionStartDateTime?: string;
  ExecutionEndDateTime?: string;
  /** The agent's documentTraceOutput (the reason a message was refused). */
  TraceOutput?: string;
  /** The association run this invocation carries (its command's Comment `<association>:<execution>`). */
  Run?: { AssociationId: string; ExecutionId: string; Refresh?: boolean };
};

/** One plugin (step) of one node's invocation, as the agent's runtimeStatus reported it. */
export type PluginOutputRecord = {
  CommandId: string;
  InstanceId: string;
  /** The id the agent reports it under: the step name (schema 2.x) or the plugin name (1.x). */
  PluginId: string;
  /** The plugin (action), e.g. aws:runShellScript. */
  PluginName: string;
  /** The agent's ResultStatus. */
  Status: string;
  ResponseCode: number;
  /** ISO-8601 */
  StartDateTime?: string;
  EndDateTime?: string;
  /** stdout, then the error title and stderr, at most 2,500 characters (the agent's `output`). */
  Output: string;
  StandardOutput: string;
  StandardError: string;
  OutputS3BucketName: string;
  OutputS3KeyPrefix: string;
};

/** Counts of a command's invocations by state. */
export type CommandCounts = Partial<Record<InvocationState, number>>;

/** What SendCommand writes: the head, the payload every node gets, and the invocations. */
export type NewCommand = {
  command: CommandRecord;
  payload: string;
  invocations: InvocationRecord[];
};
