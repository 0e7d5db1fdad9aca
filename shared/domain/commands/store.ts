/**
 * The store Run Command needs (implemented by shared/store/command-store.ts). Every change of an
 * invocation is one conditional write on that node's own items (its invocation, its counter
 * shard, and for an error the command's gates): nodes replying at once never write the same
 * item, and a condition, never a read, decides whether a change applies.
 */
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type {
  CommandCounts,
  CommandRecord,
  InvocationRecord,
  InvocationState,
  NewCommand,
  PluginOutputRecord,
} from "./records.ts";

/** A range of command ids (time-ordered, so a range of request times): low inclusive, high exclusive. */
export type CommandIdRange = { low?: string; high?: string };

/** What a change of state writes besides the state. */
export type InvocationFields = Partial<
  Pick<
    InvocationRecord,
    "DeliveredAt" | "ResponseCode" | "ExecutionStartDateTime" | "ExecutionEndDateTime" | "TraceOutput"
  >
>;

export interface CommandStore {
  /** Writes a new command: its payload, counters, gates and invocations, then its head. */
  create(scope: Scope, command: NewCommand): Promise<void>;
  get(scope: Scope, commandId: string): Promise<CommandRecord | undefined>;
  getMany(scope: Scope, commandIds: readonly string[]): Promise<CommandRecord[]>;
  /** Heads newest first, from just before `before`, within a range of ids. */
  list(scope: Scope, range: CommandIdRange, before: string | undefined, limit: number): Promise<Page<CommandRecord>>;
  /** The ids of the commands a node was sent, newest first. */
  listOfNode(
    scope: Scope,
    instanceId: string,
    range: CommandIdRange,
    before: string | undefined,
    limit: number,
  ): Promise<Page<string>>;
  payload(scope: Scope, commandId: string): Promise<string | undefined>;
  /**
   * Each command's invocations counted by state (summed over its counter shards); `Shards`, when
   * known (the head's), reads only those.
   */
  counts(
    scope: Scope,
    commands: readonly { CommandId: string; Shards?: number }[],
  ): Promise<Map<string, CommandCounts>>;
  invocation(scope: Scope, commandId: string, instanceId: string): Promise<InvocationRecord | undefined>;
  /** The head and one node's invocation, in one read. */
  commandAndInvocation(
    scope: Scope,
    commandId: string,
    instanceId: string,
  ): Promise<{ command?: CommandRecord; invocation?: InvocationRecord }>;
  /** A command's invocations in node order, after `after`. */
  invocations(
    scope: Scope,
    commandId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<InvocationRecord>>;
  /** What the plugins of these nodes' invocations reported (all of a command's when `instanceIds` is undefined). */
  outputs(scope: Scope, commandId: string, instanceIds: readonly string[]): Promise<PluginOutputRecord[]>;
  /**
   * Moves an invocation from the state it was read in (`from`: its State and Released) to `to`,
   * on condition that it is still so, with its count; `errorGates` > 0 also counts an error on
   * that many of the command's gates (a move to a state that counts against MaxErrors). Returns
   * false when the invocation was not in `from` (nothing is written).
   */
  transition(
    scope: Scope,
    from: Pick<InvocationRecord, "CommandId" | "InstanceId" | "State" | "Released" | "Shard">,
    to: InvocationState,
    fields?: InvocationFields,
    errorGates?: number,
  ): Promise<boolean>;
  /** Records a plugin's report: a final one always, another only over a report that is not final. */
  recordOutput(scope: Scope, output: PluginOutputRecord): Promise<void>;
  /**
   * Releases a waiting invocation (a slot passed to it), on condition that it still waits, its
   * delivery deadline has not passed, and (with a gate) the command's errors are within its limit.
   */
  release(
    scope: Scope,
    next: { commandId: string; instanceId: string; gate?: number; errorLimit: number },
    now: Date,
  ): Promise<boolean>;
  /** The command's error count, as its gates hold it. */
  errors(scope: Scope, commandId: string): Promise<number>;
  /** Marks the command cancelled for every node; the head as it now is, or undefined when there is none. */
  requestCancel(scope: Scope, commandId: string): Promise<CommandRecord | undefined>;
  /** Commands with a deadline at or before `now`. */
  due(now: Date, limit: number): Promise<{ scope: Scope; commandId: string }[]>;
  /** The command's next deadline, or none. */
  setDeadline(scope: Scope, commandId: string, deadline: string | undefined): Promise<void>;
}
