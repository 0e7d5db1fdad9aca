/**
 * Run Command: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation and
 * CancelCommand. A command is delivered to each node over the message channel (its messages go
 * into the nodes' queues, ../messages/mailbox.ts); what the nodes report moves it on
 * (progress.ts). Checks follow the API reference and AWS's errors (errors.ts); the parameters are
 * checked against the document as CreateAssociation checks them.
 */
import type {
  CancelCommandRequest,
  CommandFilter,
  GetCommandInvocationRequest,
  ListCommandInvocationsRequest,
  ListCommandsRequest,
  SendCommandRequest,
  Target,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { InvalidFilterKey, InvalidInstanceId, InvalidTarget } from "../../errors.ts";
import { COMMAND_DEFAULTS } from "../../lib/rate-controls.ts";
import { validateParameters } from "../associations/parameters.ts";
import type { DocumentReader } from "../documents/reader.ts";
import { executionIdPrefix, newExecutionId } from "../executions/execution-id.ts";
import type { Mailbox } from "../messages/mailbox.ts";
import type { NodeRecord } from "../nodes/records.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { checkTargets } from "../targets.ts";
import {
  documentHashMismatch,
  duplicateInstanceId,
  instanceNotInCommand,
  invalidCommandId,
  invalidNotificationConfig,
  invalidPluginName,
  invalidRole,
  invalidTargetParameters,
  invocationDoesNotExist,
  nodesNotValid,
  noTargets,
  notACommandDocument,
  targetsOrInstanceIds,
  unsupportedHashType,
  unsupportedPlatform,
} from "./errors.ts";
import { documentContent, pluginIdsOf, sendCommandPayload, typedParameters } from "./payload.ts";
import { DEFAULT_EXECUTION_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, planCommand } from "./plan.ts";
import type { CommandProgress } from "./progress.ts";
import type { CommandCounts, CommandRecord, InvocationRecord } from "./records.ts";
import { commandStatus, INVOCATION_STATUS, isTerminal } from "./statuses.ts";
import type { CommandIdRange, CommandStore } from "./store.ts";
import { commandView, invocationResultView, invocationView } from "./views.ts";

/** What SendCommand reads of the managed nodes. */
export type CommandNodes = {
  nodesByIds(scope: Scope, instanceIds: string[]): Promise<NodeRecord[]>;
  /** The nodes Targets name now, by key (the node tag index; every node only for `InstanceIds=*`). */
  targetedNodeIds(scope: Scope, targets: { Targets?: Target[] }): Promise<string[]>;
};

/** The listings' page size when MaxResults is not given (the model's maximum). */
const DEFAULT_PAGE = 50;

export class Commands {
  constructor(
    private readonly store: CommandStore,
    private readonly progress: CommandProgress,
    private readonly mailbox: Mailbox,
    private readonly documents: Pick<DocumentReader, "forAssociation">,
    private readonly nodes: CommandNodes,
  ) {}

  /**
   * SendCommand: checks everything before writing anything, resolves the targets to the
   * account's managed nodes now, writes the command, and puts the first MaxConcurrency messages
   * in their nodes' queues.
   */
  async send(scope: Scope, request: SendCommandRequest) {
    const now = this.progress.clock();
    const { instanceIds, targets } = addressing(request);
    let named: string[];
    try {
      named = instanceIds.length > 0 ? instanceIds : checkTargets(targets);
    } catch (error) {
      // The model gives SendCommand no InvalidTarget: a target it can't use is a bad parameter.
      if (error instanceof InvalidTarget) throw invalidTargetParameters(error.message);
      throw error;
    }
    const byIds = instanceIds.length > 0 || (named.length > 0 && targets.every((t) => t.Key === "InstanceIds"));
    const [resolved, found] = await Promise.all([
      this.documents.forAssociation(scope, request.DocumentName as string, request.DocumentVersion),
      byIds && named.length > 0 ? this.nodes.nodesByIds(scope, [...new Set(named)]) : undefined,
    ]);
    const { document, version } = resolved;
    if (document.DocumentType !== "Command") throw notACommandDocument(document.Name, document.DocumentType);
    if (request.DocumentHash !== undefined) {
      if (request.DocumentHashType === "Sha1") throw unsupportedHashType();
      if (request.DocumentHash !== version.Hash) throw documentHashMismatch();
    }
    validateParameters(resolved.parameterDefinitions, request.Parameters);
    checkRoleAndNotifications(request);
    let nodeIds: string[];
    if (found) {
      const missing = [...new Set(named)].filter((id) => !found.some((node) => node.InstanceId === id));
      if (missing.length > 0) throw nodesNotValid(missing, scope.accountId);
      const unsupported = found.filter(
        (node) =>
          node.PlatformType && version.PlatformTypes.length > 0 && !version.PlatformTypes.includes(node.PlatformType),
      );
      if (unsupported.length > 0) {
        throw unsupportedPlatform(
          document.Name,
          unsupported.map((node) => `${node.InstanceId} (${node.PlatformType})`),
        );
      }
      nodeIds = found.map((node) => node.InstanceId);
    } else {
      nodeIds = await this.nodes.targetedNodeIds(scope, { Targets: targets });
    }
    const content = await documentContent(version.Content, version.DocumentFormat);
    const definitions = (resolved.parameterDefinitions ?? {}) as Record<string, { type?: string; default?: unknown }>;
    const commandId = newExecutionId(now);
    const parameters = request.Parameters ?? {};
    const cloudWatch = request.CloudWatchOutputConfig ?? {};
    const payload = sendCommandPayload({
      commandId,
      documentName: document.Name,
      document: content,
      parameters: typedParameters(parameters, definitions),
      outputS3BucketName: request.OutputS3BucketName ?? "",
      outputS3KeyPrefix: request.OutputS3KeyPrefix ?? "",
      cloudWatchLogGroupName: cloudWatch.CloudWatchLogGroupName ?? "",
      cloudWatchOutputEnabled: cloudWatch.CloudWatchOutputEnabled ?? false,
    });
    const planned = planCommand({
      commandId,
      now,
      nodeIds,
      documentName: request.DocumentName as string,
      documentVersion: request.DocumentVersion ?? "",
      comment: request.Comment ?? "",
      parameters,
      instanceIds: instanceIds.length > 0 ? instanceIds : [],
      targets: instanceIds.length > 0 ? [] : targets,
      timeoutSeconds: request.TimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      executionTimeoutSeconds: executionTimeout(parameters, definitions),
      // SendCommand's defaults, as the one rule holds them (lib/rate-controls.ts).
      maxConcurrency: request.MaxConcurrency ?? COMMAND_DEFAULTS.maxConcurrency,
      maxErrors: request.MaxErrors ?? COMMAND_DEFAULTS.maxErrors,
      plugins: pluginIdsOf(content),
      payload,
      rest: {
        ...(request.OutputS3Region ? { OutputS3Region: request.OutputS3Region } : {}),
        OutputS3BucketName: request.OutputS3BucketName ?? "",
        OutputS3KeyPrefix: request.OutputS3KeyPrefix ?? "",
        ServiceRole: request.ServiceRoleArn ?? "",
        NotificationConfig: {
          NotificationArn: request.NotificationConfig?.NotificationArn ?? "",
          NotificationEvents: request.NotificationConfig?.NotificationEvents ?? [],
          NotificationType: request.NotificationConfig?.NotificationType ?? "",
        } as CommandRecord["NotificationConfig"],
        CloudWatchOutputConfig: {
          CloudWatchLogGroupName: cloudWatch.CloudWatchLogGroupName ?? "",
          CloudWatchOutputEnabled: cloudWatch.CloudWatchOutputEnabled ?? false,
        },
        ...(request.AlarmConfiguration ? { AlarmConfiguration: request.AlarmConfiguration } : {}),
      },
    });
    await this.store.create(scope, planned);
    await this.mailbox.send(
      scope,
      planned.invocations
        .filter((invocation) => invocation.Released)
        .map((invocation) => this.progress.commandMessage(scope, invocation, payload)),
    );
    return { Command: commandView(planned.command, { Pending: planned.invocations.length }) };
  }

  /** ListCommands: newest first, one command (CommandId), a node's (InstanceId), or the account's; filtered, paged. */
  async list(scope: Scope, request: ListCommandsRequest) {
    const limit = request.MaxResults ?? DEFAULT_PAGE;
    const filters = commandFilters(request.Filters ?? []);
    const cursor = decodeToken(request.NextToken, (v): v is { before: string } => typeof v.before === "string");
    if (request.CommandId) {
      // The head, its counts and (with InstanceId) the node's invocation: one batch.
      const [command, counted, invocation] = await Promise.all([
        this.store.get(scope, request.CommandId),
        this.store.counts(scope, [{ CommandId: request.CommandId }]),
        request.InstanceId ? this.store.invocation(scope, request.CommandId, request.InstanceId) : undefined,
      ]);
      if (!command) throw invalidCommandId();
      if (request.InstanceId && !invocation) return { Commands: [] };
      const counts = counted.get(command.CommandId) ?? {};
      return { Commands: filters.matches(command, counts) ? [commandView(command, counts)] : [] };
    }
    const found: { command: CommandRecord; counts: CommandCounts }[] = [];
    let before = cursor?.before;
    let more = !filters.empty;
    while (more && found.length <= limit) {
      const page = request.InstanceId
        ? await this.commandsOfNode(scope, request.InstanceId, filters.range, before, limit)
        : await this.store.list(scope, filters.range, before, limit);
      const counts = await this.store.counts(scope, page.items);
      for (const command of page.items) {
        const count = counts.get(command.CommandId) ?? {};
        if (filters.matches(command, count)) found.push({ command, counts: count });
      }
      before = page.items.at(-1)?.CommandId ?? before;
      more = page.more;
    }
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      Commands: items.map(({ command, counts }) => commandView(command, counts)),
      NextToken: found.length > limit && last ? encodeToken({ before: last.command.CommandId }) : undefined,
    };
  }

  private async commandsOfNode(
    scope: Scope,
    instanceId: string,
    range: CommandIdRange,
    before: string | undefined,
    limit: number,
  ) {
    const page = await this.store.listOfNode(scope, instanceId, range, before, limit);
    const heads = await this.store.getMany(scope, page.items);
    const byId = new Map(heads.map((head) => [head.CommandId, head]));
    return { items: page.items.flatMap((id) => byId.get(id) ?? []), more: page.more };
  }

  /**
   * ListCommandInvocations: a command's invocations in node order, or a node's newest command
   * first, or every invocation of the account's commands; with Details, each plugin and the
   * first 2,500 characters of its output.
   */
  async listInvocations(scope: Scope, request: ListCommandInvocationsRequest) {
    const limit = request.MaxResults ?? DEFAULT_PAGE;
    const filters = commandFilters(request.Filters ?? [], "invocation");
    const cursor = decodeToken(
      request.NextToken,
      (v): v is { c: string; i: string } => typeof v.c === "string" && typeof v.i === "string",
    );
    const found: { command: CommandRecord; invocation: InvocationRecord }[] = [];
    const take = (command: CommandRecord, invocations: InvocationRecord[]) => {
      for (const invocation of invocations) {
        if (filters.matchesInvocation(command, invocation)) found.push({ command, invocation });
      }
    };
    if (request.CommandId && !filters.empty) {
      const commandId = request.CommandId;
      if (request.InstanceId) {
        const { command, invocation } = await this.store.commandAndInvocation(scope, commandId, request.InstanceId);
        if (command && invocation) take(command, [invocation]);
      } else {
        // The head and the first page, read at once.
        let [command, page] = await Promise.all([
          this.store.get(scope, commandId),
          this.store.invocations(scope, commandId, cursor?.i, limit),
        ]);
        while (command) {
          take(command, page.items);
          if (!page.more || found.length > limit) break;
          page = await this.store.invocations(scope, commandId, page.items.at(-1)?.InstanceId, limit);
        }
      }
    } else if (!request.CommandId) {
      // Newest command first; within a command, node order. A cursor resumes inside its command.
      let before = cursor?.c;
      if (cursor && !filters.empty) {
        const command = await this.store.get(scope, cursor.c);
        if (command) await this.collectInvocations(scope, command, request.InstanceId, cursor.i, limit, found, take);
      }
      let more = !filters.empty;
      while (more && found.length <= limit) {
        const page = request.InstanceId
          ? await this.commandsOfNode(scope, request.InstanceId, filters.range, before, limit)
          : await this.store.list(scope, filters.range, before, limit);
        for (const command of page.items) {
          if (found.length > limit) break;
          await this.collectInvocations(scope, command, request.InstanceId, undefined, limit, found, take);
        }
        before = page.items.at(-1)?.CommandId ?? before;
        more = page.more;
      }
    }
    const items = found.slice(0, limit);
    const outputs = request.Details ? await this.outputsOf(scope, items) : undefined;
    const last = items.at(-1);
    return {
      CommandInvocations: items.map(({ command, invocation }) =>
        invocationView(
          command,
          invocation,
          outputs?.filter((o) => o.CommandId === command.CommandId && o.InstanceId === invocation.InstanceId),
          scope.region,
        ),
      ),
      NextToken:
        found.length > limit && last
          ? encodeToken({ c: last.command.CommandId, i: last.invocation.InstanceId })
          : undefined,
    };
  }

  private async collectInvocations(
    scope: Scope,
    command: CommandRecord,
    instanceId: string | undefined,
    after: string | undefined,
    limit: number,
    found: unknown[],
    take: (command: CommandRecord, invocations: InvocationRecord[]) => void,
  ): Promise<void> {
    if (instanceId) {
      if (after !== undefined) return;
      const invocation = await this.store.invocation(scope, command.CommandId, instanceId);
      take(command, invocation ? [invocation] : []);
      return;
    }
    let more = true;
    let from = after;
    while (more && found.length <= limit) {
      const page = await this.store.invocations(scope, command.CommandId, from, limit);
      take(command, page.items);
      from = page.items.at(-1)?.InstanceId ?? from;
      more = page.more;
    }
  }

  private async outputsOf(scope: Scope, items: { command: CommandRecord; invocation: InvocationRecord }[]) {
    const byCommand = new Map<string, string[]>();
    for (const { command, invocation } of items) {
      byCommand.set(command.CommandId, [...(byCommand.get(command.CommandId) ?? []), invocation.InstanceId]);
    }
    const read = await Promise.all(
      [...byCommand].map(([commandId, nodes]) => this.store.outputs(scope, commandId, nodes)),
    );
    return read.flat();
  }

  /** GetCommandInvocation: one node's invocation, or one of its plugins (PluginName). */
  async getInvocation(scope: Scope, request: GetCommandInvocationRequest) {
    const commandId = request.CommandId as string;
    const instanceId = request.InstanceId as string;
    const [{ command, invocation }, outputs] = await Promise.all([
      this.store.commandAndInvocation(scope, commandId, instanceId),
      this.store.outputs(scope, commandId, [instanceId]),
    ]);
    if (!command || !invocation) throw invocationDoesNotExist();
    const plugin = request.PluginName;
    if (plugin !== undefined && !command.Plugins.includes(plugin) && !outputs.some((o) => o.PluginId === plugin)) {
      throw invalidPluginName();
    }
    return invocationResultView(command, invocation, outputs, plugin);
  }

  /**
   * CancelCommand: "Attempts to cancel the command specified by the Command ID. There is no
   * guarantee that the command will be terminated and the underlying process stopped." For the
   * nodes named, or every node (then nothing more is released).
   */
  async cancel(scope: Scope, request: CancelCommandRequest): Promise<Record<string, never>> {
    const ids = request.InstanceIds ?? [];
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) throw duplicateInstanceId(duplicate);
    const commandId = request.CommandId as string;
    if (ids.length > 0) {
      // The head and the named invocations, read together.
      const [command, ...invocations] = await Promise.all([
        this.store.get(scope, commandId),
        ...ids.map((id) => this.store.invocation(scope, commandId, id)),
      ]);
      if (!command) throw invalidCommandId();
      const missing = ids.find((_, i) => !invocations[i]);
      if (missing) throw instanceNotInCommand(missing);
      await Promise.all(
        invocations.map((invocation) => this.progress.cancel(scope, command, invocation as InvocationRecord)),
      );
      return {};
    }
    // Every node: the head says so first (nothing more is released), in the write that finds it.
    const command = await this.store.requestCancel(scope, commandId);
    if (!command) throw invalidCommandId();
    let after: string | undefined;
    let more = true;
    while (more) {
      const page = await this.store.invocations(scope, commandId, after, 100);
      for (let i = 0; i < page.items.length; i += 16) {
        await Promise.all(
          page.items.slice(i, i + 16).map((invocation) => this.progress.cancel(scope, command, invocation)),
        );
      }
      after = page.items.at(-1)?.InstanceId;
      more = page.more;
    }
    return {};
  }
}

/**
 * Who a request names: the InstanceIds member, or Targets. A target keyed `instanceids` in
 * another case than AWS's is the InstanceIds member in another form: send-command.rst example 1
 * sends `--targets "Key=instanceids,Values=..."` and AWS answers it with `"InstanceIds": [...]`
 * and `"Targets": []`, while a command sent with `Key=InstanceIds` lists it under Targets
 * (list-commands.rst example 3).
 */
function addressing(request: SendCommandRequest): { instanceIds: string[]; targets: Target[] } {
  const instanceIds = request.InstanceIds ?? [];
  const targets = request.Targets ?? [];
  if (instanceIds.length > 0 && targets.length > 0) throw targetsOrInstanceIds();
  if (instanceIds.length === 0 && targets.length === 0) throw noTargets();
  const duplicate = instanceIds.find((id, i) => instanceIds.indexOf(id) !== i);
  if (duplicate) throw duplicateInstanceId(duplicate);
  const lowerCase =
    targets.length > 0 && targets.every((t) => t.Key !== "InstanceIds" && t.Key?.toLowerCase() === "instanceids");
  if (lowerCase && !targets.some((t) => t.Values?.includes("*"))) {
    const ids = targets.flatMap((t) => t.Values ?? []);
    for (const id of ids)
      if (!/^(i-(\w{8}|\w{17})|mi-\w{17})$/.test(id)) throw new InvalidInstanceId(`Instance ${id} is not valid.`);
    return { instanceIds: [...new Set(ids)], targets: [] };
  }
  return {
    instanceIds,
    targets: targets.map((t) => (t.Key?.toLowerCase() === "instanceids" ? { ...t, Key: "InstanceIds" } : t)),
  };
}

/** The service role is an IAM role's ARN; a notification needs its topic and the role that publishes to it. */
function checkRoleAndNotifications(request: SendCommandRequest): void {
  const role = request.ServiceRoleArn;
  if (role !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(role)) throw invalidRole(role);
  const arn = request.NotificationConfig?.NotificationArn;
  if (arn !== undefined && arn !== "") {
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+/.test(arn)) {
      throw invalidNotificationConfig(`The notification ARN ${arn} isn't an Amazon SNS topic ARN.`);
    }
    if (!role)
      throw invalidNotificationConfig("A notification needs ServiceRoleArn: the role that publishes to the topic.");
  }
}

/** The execution timeout a run gets: the `executionTimeout` parameter as given, else its default, else the agent's hour. */
function executionTimeout(
  parameters: Record<string, string[]>,
  definitions: Record<string, { default?: unknown }>,
): number {
  const value = Number(parameters.executionTimeout?.[0] ?? definitions.executionTimeout?.default);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_EXECUTION_TIMEOUT_SECONDS;
}

/**
 * The filters of ListCommands and ListCommandInvocations (CommandFilter.key's documentation):
 * InvokedAfter ("... and later") and InvokedBefore ("... before") as a range of time-ordered
 * ids; Status, the command's (or the invocation's) Status; ExecutionStage `Executing` or
 * `Complete`; DocumentName. Several filters narrow each other.
 */
function commandFilters(filters: CommandFilter[], of: "command" | "invocation" = "command") {
  const range: CommandIdRange = {};
  let empty = false;
  const statuses: string[] = [];
  const documents: string[] = [];
  let stage: "Executing" | "Complete" | undefined;
  const allowed =
    of === "command"
      ? ["Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut", "Cancelling"]
      : ["Pending", "InProgress", "Delayed", "Success", "Cancelled", "Failed", "TimedOut", "Cancelling"];
  for (const filter of filters) {
    const value = filter.value as string;
    switch (filter.key) {
      case "InvokedAfter":
      case "InvokedBefore": {
        const time = Date.parse(value);
        if (Number.isNaN(time)) throw new InvalidFilterKey(`The ${filter.key} filter value ${value} isn't a date.`);
        const prefix = executionIdPrefix(new Date(time));
        if (filter.key === "InvokedAfter" && (range.low === undefined || prefix > range.low)) range.low = prefix;
        if (filter.key === "InvokedBefore" && (range.high === undefined || prefix < range.high)) range.high = prefix;
        break;
      }
      case "Status":
        if (!allowed.includes(value)) throw new InvalidFilterKey(`The Status filter value ${value} isn't valid.`);
        statuses.push(value);
        break;
      case "ExecutionStage":
        if (value !== "Executing" && value !== "Complete") {
          throw new InvalidFilterKey(
            `The ExecutionStage filter value ${value} isn't valid: use Executing or Complete.`,
          );
        }
        if (stage !== undefined && stage !== value) empty = true;
        stage = value;
        break;
      case "DocumentName":
        documents.push(value);
        break;
    }
  }
  if (range.low !== undefined && range.high !== undefined && range.low >= range.high) empty = true;
  const byDocument = (command: CommandRecord) =>
    documents.every((name) => command.DocumentName === name || command.DocumentName.endsWith(`/${name}`));
  return {
    range,
    empty,
    matches(command: CommandRecord, counts: CommandCounts): boolean {
      const { Status } = commandStatus(counts, command);
      const complete = Status !== "Pending" && Status !== "InProgress" && Status !== "Cancelling";
      return (
        byDocument(command) &&
        statuses.every((status) => Status === status) &&
        (stage === undefined || (stage === "Complete") === complete)
      );
    },
    matchesInvocation(command: CommandRecord, invocation: InvocationRecord): boolean {
      const inRange =
        (range.low === undefined || command.CommandId >= range.low) &&
        (range.high === undefined || command.CommandId < range.high);
      return (
        inRange &&
        byDocument(command) &&
        statuses.every((status) => INVOCATION_STATUS[invocation.State] === status) &&
        (stage === undefined || (stage === "Complete") === isTerminal(invocation.State))
      );
    },
  };
}
