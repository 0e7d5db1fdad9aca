/**
 * Commands and invocations as the API shows them, shaped as AWS's published outputs
 * (awscli/examples/ssm send-command.rst, list-commands.rst, list-command-invocations.rst,
 * get-command-invocation.rst): empty strings rather than absent members for what was not given
 * (`"OutputS3BucketName": ""`, `"ServiceRole": ""`, `"NotificationConfig": {"NotificationArn": "",
 * "NotificationEvents": [], "NotificationType": ""}`), dates as timestamps, except
 * GetCommandInvocation's, which are ISO-8601 strings (`"ExecutionStartDateTime":
 * "2020-02-19T18:18:03.419Z"`, `"ExecutionElapsedTime": "PT0.091S"`).
 */
import type { Command, CommandInvocation, CommandPlugin, GetCommandInvocationResult } from "@aws-sdk/client-ssm";
import type { CommandCounts, CommandRecord, InvocationRecord, InvocationState, PluginOutputRecord } from "./records.ts";
import { commandCounts, commandStatus, INVOCATION_STATUS, isTerminal } from "./statuses.ts";

export function commandView(command: CommandRecord, counts: CommandCounts): Command {
  return {
    CommandId: command.CommandId,
    DocumentName: command.DocumentName,
    DocumentVersion: command.DocumentVersion,
    Comment: command.Comment,
    ExpiresAfter: new Date(command.ExpiresAfter),
    Parameters: command.Parameters,
    InstanceIds: command.InstanceIds,
    Targets: command.Targets,
    RequestedDateTime: new Date(command.RequestedDateTime),
    ...(commandStatus(counts, command) as Pick<Command, "Status" | "StatusDetails">),
    ...(command.OutputS3Region ? { OutputS3Region: command.OutputS3Region } : {}),
    OutputS3BucketName: command.OutputS3BucketName,
    OutputS3KeyPrefix: command.OutputS3KeyPrefix,
    MaxConcurrency: command.MaxConcurrency,
    MaxErrors: command.MaxErrors,
    TargetCount: command.TargetCount,
    ...commandCounts(counts),
    ServiceRole: command.ServiceRole,
    NotificationConfig: command.NotificationConfig,
    CloudWatchOutputConfig: command.CloudWatchOutputConfig,
    TimeoutSeconds: command.TimeoutSeconds,
    ...(command.AlarmConfiguration ? { AlarmConfiguration: command.AlarmConfiguration } : {}),
  };
}

/**
 * Final states the service decides, not the agent: the first final state wins, so a plugin's
 * report that arrives after one (a node back after its command expired) is kept as output but
 * does not change what the invocation shows.
 */
const ENDED_BY_SERVICE: ReadonlySet<InvocationState> = new Set(["DeliveryTimedOut", "Undeliverable", "Terminated"]);

/** The status a plugin shows: what it reported, or, never reported, what its invocation says. */
function pluginState(invocation: InvocationRecord, output: PluginOutputRecord | undefined) {
  if (output && !ENDED_BY_SERVICE.has(invocation.State)) {
    switch (output.Status) {
      case "Success":
        return { Status: "Success", StatusDetails: "Success" };
      // The plugin status enum has no Skipped: a skipped step did what it should.
      case "Skipped":
        return { Status: "Success", StatusDetails: "Skipped" };
      case "Failed":
        return { Status: "Failed", StatusDetails: "Failed" };
      case "TimedOut":
        return { Status: "TimedOut", StatusDetails: "ExecutionTimedOut" };
      case "Cancelled":
        return { Status: "Cancelled", StatusDetails: "Cancelled" };
    }
  }
  if (isTerminal(invocation.State) || invocation.State === "Cancelling") {
    return { Status: INVOCATION_STATUS[invocation.State], StatusDetails: invocation.State };
  }
  // A plugin's status enum has no Delayed: a plugin not sent yet is Pending, its details say why.
  if (invocation.State === "Pending" || invocation.State === "Delayed") {
    return { Status: "Pending", StatusDetails: invocation.State };
  }
  return { Status: "InProgress", StatusDetails: "InProgress" };
}

function pluginView(
  command: CommandRecord,
  invocation: InvocationRecord,
  pluginId: string,
  output: PluginOutputRecord | undefined,
  region: string,
): CommandPlugin {
  return {
    Name: pluginId,
    ...(pluginState(invocation, output) as Pick<CommandPlugin, "Status" | "StatusDetails">),
    ResponseCode: output ? output.ResponseCode : -1,
    ...(output?.StartDateTime ? { ResponseStartDateTime: new Date(output.StartDateTime) } : {}),
    ...(output?.EndDateTime ? { ResponseFinishDateTime: new Date(output.EndDateTime) } : {}),
    Output: output?.Output ?? "",
    StandardOutputUrl: "",
    StandardErrorUrl: "",
    OutputS3Region: command.OutputS3Region ?? region,
    OutputS3BucketName: output?.OutputS3BucketName || command.OutputS3BucketName,
    OutputS3KeyPrefix: output?.OutputS3KeyPrefix ?? "",
  };
}

/** The plugins of an invocation in document order (any the agent reported that the document did not name, after). */
function pluginsOf(command: CommandRecord, outputs: readonly PluginOutputRecord[]): string[] {
  const ids = [...command.Plugins];
  for (const output of outputs) if (!ids.includes(output.PluginId)) ids.push(output.PluginId);
  return ids;
}

export function invocationView(
  command: CommandRecord,
  invocation: InvocationRecord,
  outputs: readonly PluginOutputRecord[] | undefined,
  region: string,
): CommandInvocation {
  return {
    CommandId: command.CommandId,
    InstanceId: invocation.InstanceId,
    InstanceName: "",
    Comment: command.Comment,
    DocumentName: command.DocumentName,
    DocumentVersion: command.DocumentVersion,
    RequestedDateTime: new Date(command.RequestedDateTime),
    Status: INVOCATION_STATUS[invocation.State] as CommandInvocation["Status"],
    StatusDetails: invocation.State,
    ...(invocation.TraceOutput ? { TraceOutput: invocation.TraceOutput.slice(0, 2500) } : {}),
    StandardOutputUrl: "",
    StandardErrorUrl: "",
    CommandPlugins: outputs
      ? pluginsOf(command, outputs).map((id) =>
          pluginView(
            command,
            invocation,
            id,
            outputs.find((output) => output.PluginId === id),
            region,
          ),
        )
      : [],
    ServiceRole: command.ServiceRole,
    NotificationConfig: command.NotificationConfig,
    CloudWatchOutputConfig: command.CloudWatchOutputConfig,
  };
}

/**
 * GetCommandInvocation: one plugin's result when PluginName names it (or the document has one
 * plugin); for a multi-step document without PluginName, the invocation as a whole (each step's
 * output one after the other, the first failing step's code).
 */
export function invocationResultView(
  command: CommandRecord,
  invocation: InvocationRecord,
  outputs: readonly PluginOutputRecord[],
  pluginId: string | undefined,
): GetCommandInvocationResult {
  const ids = pluginsOf(command, outputs);
  const chosen = pluginId ?? (ids.length === 1 ? ids[0] : undefined);
  const reports = chosen
    ? outputs.filter((output) => output.PluginId === chosen)
    : ids.flatMap((id) => outputs.filter((output) => output.PluginId === id));
  const single = chosen ? reports[0] : undefined;
  // GetCommandInvocation's status enum has Delayed (a plugin's has not): an invocation not yet
  // confirmed shows its own status, whatever the plugin asked for.
  const state =
    chosen && !(invocation.State === "Delayed" && !single)
      ? pluginState(invocation, single)
      : { Status: INVOCATION_STATUS[invocation.State], StatusDetails: invocation.State };
  const start = reports
    .map((r) => r.StartDateTime)
    .filter((t): t is string => !!t)
    .sort()[0];
  const end = reports
    .map((r) => r.EndDateTime)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
  const failing = reports.find((r) => r.Status !== "Success" && r.Status !== "Skipped" && r.Status !== "InProgress");
  const code = single
    ? single.ResponseCode
    : reports.length > 0
      ? (failing ?? reports.at(-1))?.ResponseCode
      : (invocation.ResponseCode ?? -1);
  return {
    CommandId: command.CommandId,
    InstanceId: invocation.InstanceId,
    Comment: command.Comment,
    DocumentName: command.DocumentName,
    DocumentVersion: command.DocumentVersion,
    ...(chosen ? { PluginName: chosen } : {}),
    ResponseCode: code ?? -1,
    ExecutionStartDateTime: start ?? "",
    ExecutionElapsedTime: start && end ? isoDuration(Date.parse(end) - Date.parse(start)) : "",
    ExecutionEndDateTime: end ?? "",
    ...(state as Pick<GetCommandInvocationResult, "Status" | "StatusDetails">),
    StandardOutputContent: reports
      .map((r) => r.StandardOutput)
      .join("")
      .slice(0, 24_000),
    StandardOutputUrl: "",
    StandardErrorContent: reports
      .map((r) => r.StandardError)
      .join("")
      .slice(0, 8000),
    StandardErrorUrl: "",
    CloudWatchOutputConfig: command.CloudWatchOutputConfig,
  };
}

/**
 * A duration as ISO-8601 text the way AWS's published output writes it, `PT0.091S` (Java's
 * Duration.toString: hours and minutes when there are any, seconds with their fraction).
 */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return "PT0S";
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const seconds =
    millis === 0
      ? ""
      : `${Math.floor(millis / 1000)}${
          millis % 1000
            ? `.${String(millis % 1000)
                .padStart(3, "0")
                .replace(/0+$/, "")}`
            : ""
        }S`;
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds}`;
}
