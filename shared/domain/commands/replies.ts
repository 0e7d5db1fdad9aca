/**
 * The agent's replies (SendReply's Payload: `SendReplyPayload`, agent/runcommand/contracts/model.go;
 * the sequence is in docs/message-channel.md) read into what they change: the invocation's state,
 * and what each plugin in `runtimeStatus` reported. A reply's own time, not its arrival, dates
 * nothing: the agent's `startDateTime` and `endDateTime` do.
 */
import { isRecord } from "../documents/analysis.ts";
import type { InvocationState, PluginOutputRecord } from "./records.ts";

/** The agent's plugin status (`PluginRuntimeStatus`, agent/contracts/model.go). */
type RuntimeStatus = {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  output?: unknown;
  startDateTime?: unknown;
  endDateTime?: unknown;
  outputS3BucketName?: unknown;
  outputS3KeyPrefix?: unknown;
  standardOutput?: unknown;
  standardError?: unknown;
};

export type Reply = {
  /** What the reply's documentStatus makes of the invocation. */
  state: InvocationState;
  traceOutput: string;
  plugins: Omit<PluginOutputRecord, "CommandId" | "InstanceId">[];
};

/**
 * The agent's document status (a `ResultStatus`) as an invocation state. `SuccessAndReboot` and
 * `PassedAndReboot` are not final: the agent reboots the node and runs the rest.
 */
const DOCUMENT_STATES: Record<string, InvocationState> = {
  NotStarted: "InProgress",
  InProgress: "InProgress",
  SuccessAndReboot: "InProgress",
  PassedAndReboot: "InProgress",
  Success: "Success",
  Failed: "Failed",
  TimedOut: "ExecutionTimedOut",
  Cancelled: "Cancelled",
};

/** The most the API answers of each output (CommandPlugin.Output, GetCommandInvocation's contents). */
export const OUTPUT_LIMITS = { output: 2500, standardOutput: 24_000, standardError: 8000 };

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A reply's payload as sent; undefined when it is not a SendReplyPayload at all. */
export function parseReply(payload: string): Reply | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const state = DOCUMENT_STATES[text(body.documentStatus)];
  if (!state) return undefined;
  const runtime = isRecord(body.runtimeStatus) ? body.runtimeStatus : {};
  const plugins = Object.entries(runtime).flatMap(([pluginId, status]) => {
    if (!isRecord(status)) return [];
    const reported = status as RuntimeStatus;
    return [
      {
        PluginId: pluginId,
        PluginName: text(reported.name) || pluginId,
        Status: text(reported.status) || "InProgress",
        ResponseCode: typeof reported.code === "number" ? reported.code : 0,
        StartDateTime: agentTime(reported.startDateTime),
        EndDateTime: agentTime(reported.endDateTime),
        Output: text(reported.output).slice(0, OUTPUT_LIMITS.output),
        StandardOutput: text(reported.standardOutput).slice(0, OUTPUT_LIMITS.standardOutput),
        StandardError: text(reported.standardError).slice(0, OUTPUT_LIMITS.standardError),
        OutputS3BucketName: text(reported.outputS3BucketName),
        OutputS3KeyPrefix: text(reported.outputS3KeyPrefix),
      },
    ];
  });
  return { state, traceOutput: text(body.documentTraceOutput), plugins };
}

/**
 * The agent's times (`times.ToIso8601UTC`: yyyy-MM-ddTHH:mm:ss.fffZ) as stored ISO-8601; a plugin
 * that never started has Go's zero time, `0001-01-01T00:00:00.000Z`, which is no time at all.
 */
function agentTime(value: unknown): string | undefined {
  const raw = text(value);
  const time = Date.parse(raw);
  if (!raw || Number.isNaN(time) || raw.startsWith("0001-")) return undefined;
  return new Date(time).toISOString();
}
