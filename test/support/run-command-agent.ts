/**
 * The SSM Agent's side of Run Command, replayed call for call from its source
 * (aws/amazon-ssm-agent; docs/message-channel.md has the whole sequence):
 *
 * - poll: `GetMessages {Destination, MessagesRequestId: <uuid v4>, VisibilityTimeoutInSeconds: 10}`
 *   (agent/runcommand/mds/service.go), node credentials, SigV4 service `ec2messages`, the Go SDK's
 *   members in alphabetical order; the answer read through the SDK's `GetMessagesOutput`;
 * - each message: `utils.Validate` (Topic, Destination, MessageId, CreatedDate non-empty), its
 *   payload unmarshalled into `SendCommandPayload` or `CancelPayload` exactly as Go does
 *   (go-json.ts); a send command that fails to parse gets a `Failed` reply with the error and no
 *   acknowledgement; an unknown topic gets `FailMessage(InternalHandlerException)`
 *   (agent/messageservice/interactor/mdsinteractor/mdsinteractor.go `processMessage`);
 * - then the document-level `InProgress` reply (`runtimeStatus: null`) and **then**
 *   `AcknowledgeMessage`;
 * - a run: one reply per plugin as it ends (`documentStatus: InProgress`, that plugin only), then
 *   the final reply (the aggregate status; every plugin for a one-plugin document, `{}` for more)
 *   (processor.go, basicexecuter.go, runpluginutil.go, contracts/aggregator.go,
 *   messageservice/utils/messageutil.go), each with a fresh ReplyId (service.go `SendReply`).
 *
 * Payloads are written by Go's json.Marshal rules (go-json.ts `goMarshal`).
 */
import { randomUUID } from "node:crypto";
import { agentCall, registeredAgent, type WireAnswer } from "./agent-http.ts";
import { CANCEL_PAYLOAD, GET_MESSAGES_OUTPUT, goMap, goMarshal, goUnmarshal, SEND_COMMAND_PAYLOAD } from "./go-json.ts";
import type { Identity } from "./identity.ts";
import { withThrottleRetries } from "./sdk-go-retryer.ts";

type Endpoint = { url: string; host: string };

export type AgentMessage = {
  CreatedDate: string;
  Destination: string;
  MessageId: string;
  Payload: string;
  PayloadDigest: string;
  Topic: string;
};

export type SendCommandPayload = {
  Parameters: Record<string, unknown>;
  DocumentContent: {
    schemaVersion: string;
    runtimeConfig?: Record<string, unknown>;
    mainSteps?: { action: string; name: string }[];
  };
  CommandId: string;
  DocumentName: string;
  CloudWatchOutputEnabled: string;
};

/** How one plugin ends in a replayed run. */
export type PluginOutcome = {
  status?: "Success" | "Failed" | "TimedOut" | "Cancelled" | "Skipped";
  code?: number;
  stdout?: string;
  stderr?: string;
};

/** The agent's AgentInfo (agent/contracts/model.go), as an unmodified Linux agent fills it. */
const AGENT_INFO = { lang: "en-US", name: "amazon-ssm-agent", os: "linux", osver: "1", ver: "3.3.1142.0" };

/** iohandler.go: `errTitle` and `MaximumPluginOutputSize`, as `TruncateOutput` joins stdout and stderr. */
const ERROR_TITLE = "\n----------ERROR-------\n";

/** times.ToIso8601UTC: yyyy-MM-ddTHH:mm:ss.fffZ. */
const agentTime = (date: Date) => date.toISOString();

/** A plugin's runtime status, fields in `PluginRuntimeStatus`'s order (agent/contracts/model.go, aggregator.go `prepareRuntimeStatus`). */
function runtimeStatus(name: string, outcome: PluginOutcome, start: Date, end: Date) {
  const status = outcome.status ?? "Success";
  const stdout = outcome.stdout ?? "";
  const stderr = outcome.stderr ?? "";
  let code = outcome.code ?? (status === "Success" || status === "Skipped" ? 0 : 1);
  // "if runtimeStatus.Status == ResultStatusFailed && runtimeStatus.Code == 0 { runtimeStatus.Code = 1 }"
  if (status === "Failed" && code === 0) code = 1;
  const output = `${stdout}${stderr ? ERROR_TITLE : ""}${stderr}`.slice(0, 2500);
  return {
    status,
    code,
    name,
    output,
    startDateTime: agentTime(start),
    endDateTime: agentTime(end),
    outputS3BucketName: "",
    outputS3KeyPrefix: "",
    stepName: "",
    standardOutput: stdout,
    standardError: stderr,
  };
}

/** contracts/aggregator.go `DocumentResultAggregator` with no plugin id: the document's status. */
function aggregate(statuses: string[]): string {
  const count = (status: string) => statuses.filter((s) => s === status).length;
  if (count("SuccessAndReboot") > 0) return "SuccessAndReboot";
  if (count("Failed") > 0) return "Failed";
  if (count("TimedOut") > 0) return "TimedOut";
  if (count("Cancelled") > 0) return "Cancelled";
  if (count("Success") + count("Skipped") === statuses.length) return "Success";
  return "InProgress";
}

function counts(statuses: string[]) {
  const result: Record<string, number> = {};
  for (const status of statuses) result[status] = (result[status] ?? 0) + 1;
  return goMap(result);
}

/** `SendReplyPayload` as json.Marshal writes it (messageutil.go `PrepareReplyPayload*`). */
export function replyPayload(
  documentStatus: string,
  runtime: Record<string, unknown> | null,
  statusCounts: ReturnType<typeof goMap> | null,
  traceOutput = "",
  at = new Date(),
): string {
  return goMarshal({
    additionalInfo: {
      agent: AGENT_INFO,
      dateTime: agentTime(at),
      runId: "",
      runtimeStatusCounts: statusCounts,
      ableToOpenMGSConnection: false,
    },
    documentStatus,
    documentTraceOutput: traceOutput,
    runtimeStatus: runtime === null ? null : goMap(runtime),
  });
}

/** The plugin ids the agent runs a document's plugins under: step names (2.x) or plugin names (1.x). */
export function pluginsOf(payload: SendCommandPayload): { id: string; name: string }[] {
  const content = payload.DocumentContent;
  if (content.mainSteps) return content.mainSteps.map((step) => ({ id: step.name, name: step.action }));
  return Object.keys(content.runtimeConfig ?? {}).map((name) => ({ id: name, name }));
}

/** What the agent sends for a one-step command, from the poll that gets it: processMessage, then the step's and the final reply. */
export const ONE_STEP_SEQUENCE = ["GetMessages", "SendReply", "AcknowledgeMessage", "SendReply", "SendReply"];

export class ReplayedAgent {
  /**
   * Every call this agent made, in order: `Operation`, its answer's status, the message it named
   * (SendReply, AcknowledgeMessage, FailMessage) and when it was answered (performance.now()).
   */
  readonly calls: { operation: string; status: number; messageId?: string; answeredAt: number }[] = [];

  /**
   * `observe`: told of every call instead of `calls` keeping it (a fleet's thousands of agents
   * polling for hours would otherwise keep every call they made).
   */
  constructor(
    readonly endpoint: Endpoint,
    readonly instanceId: string,
    readonly identity: Identity,
    private readonly observe?: (operation: string, answer: WireAnswer, ms: number) => void,
    /** When given, a throttled call is sent again as the agent's SDK does (sdk-go-retryer.ts), and each retry told. */
    private readonly throttleRetried?: (operation: string) => void,
  ) {}

  /** A node registered with a hybrid activation, its agent replayed over HTTP against `endpoint`. */
  static async register(endpoint: Endpoint): Promise<ReplayedAgent> {
    const { instanceId, identity } = await registeredAgent();
    return new ReplayedAgent(endpoint, instanceId, identity);
  }

  /** One ec2messages call, signed as the agent signs it; the body's members in alphabetical order (Go SDK v1). */
  async call(operation: string, members: Record<string, unknown>): Promise<WireAnswer> {
    const body = JSON.stringify(Object.fromEntries(Object.entries(members).sort(([a], [b]) => a.localeCompare(b))));
    const started = performance.now();
    const send = () =>
      agentCall(this.endpoint, {
        target: `EC2WindowsMessageDeliveryService.${operation}`,
        service: "ec2messages",
        body,
        identity: this.identity,
      });
    const retried = this.throttleRetried;
    const answer = await (retried ? withThrottleRetries(send, () => retried(operation)) : send());
    if (this.observe) this.observe(operation, answer, performance.now() - started);
    else {
      const messageId = typeof members.MessageId === "string" ? members.MessageId : undefined;
      this.calls.push({
        operation,
        status: answer.status,
        ...(messageId ? { messageId } : {}),
        answeredAt: performance.now(),
      });
    }
    if (answer.status !== 200) throw new Error(`${operation} answered ${answer.status}: ${answer.body}`);
    return answer;
  }

  /** The operations from the poll that got the first message on (earlier polls may have been empty). */
  sequence(): string[] {
    const operations = this.calls.map((c) => c.operation);
    return operations.slice(operations.indexOf("SendReply") - 1);
  }

  /** GetMessages, as service.go sends it; the messages as the SDK's `GetMessagesOutput` reads them. */
  async poll(): Promise<AgentMessage[]> {
    const requestId = randomUUID();
    const answer = await this.call("GetMessages", {
      Destination: this.instanceId,
      MessagesRequestId: requestId,
      VisibilityTimeoutInSeconds: 10,
    });
    const output = goUnmarshal<{ Messages?: AgentMessage[]; MessagesRequestId: string }>(
      answer.body,
      GET_MESSAGES_OUTPUT,
    );
    if (output.MessagesRequestId !== requestId) throw new Error("GetMessages answered another poll's id");
    return (output.Messages ?? []).filter(
      // utils.Validate: a message missing any of these is ignored.
      (message) => message.Topic && message.Destination && message.MessageId && message.CreatedDate,
    );
  }

  /** Polls until a message comes (each poll is one agent poll; the server may hold it). */
  async next(polls = 50): Promise<AgentMessage> {
    for (let i = 0; i < polls; i++) {
      const [message] = await this.poll();
      if (message) return message;
    }
    throw new Error(`no message for ${this.instanceId} after ${polls} polls`);
  }

  async reply(messageId: string, payload: string): Promise<Record<string, unknown>> {
    const answer = await this.call("SendReply", { MessageId: messageId, Payload: payload, ReplyId: randomUUID() });
    return JSON.parse(answer.body) as Record<string, unknown>;
  }

  acknowledge(messageId: string) {
    return this.call("AcknowledgeMessage", { MessageId: messageId });
  }

  failMessage(messageId: string) {
    return this.call("FailMessage", { FailureType: "InternalHandlerException", MessageId: messageId });
  }

  /**
   * processMessage: parse as the agent does, reply InProgress, acknowledge. Returns the parsed
   * send command (undefined for a cancel, or a message the agent refused).
   */
  async receive(message: AgentMessage): Promise<SendCommandPayload | undefined> {
    if (message.Topic.startsWith("aws.ssm.sendCommand")) {
      let payload: SendCommandPayload;
      try {
        payload = goUnmarshal<SendCommandPayload>(message.Payload, SEND_COMMAND_PAYLOAD);
      } catch (error) {
        // sendDocLevelResponse(Failed, err) and return: no acknowledgement.
        await this.reply(
          message.MessageId,
          replyPayload("Failed", null, null, `encountered error while parsing input - internal error ${error}`),
        );
        return undefined;
      }
      await this.reply(message.MessageId, replyPayload("InProgress", null, null));
      await this.acknowledge(message.MessageId);
      return payload;
    }
    if (message.Topic.startsWith("aws.ssm.cancelCommand")) {
      goUnmarshal(message.Payload, CANCEL_PAYLOAD);
      await this.reply(message.MessageId, replyPayload("InProgress", null, null));
      await this.acknowledge(message.MessageId);
      return undefined;
    }
    await this.failMessage(message.MessageId);
    return undefined;
  }

  /**
   * A run: a reply as each plugin ends, then the final reply. `outcomes` gives each plugin's end
   * by its id (a plugin not named succeeds with no output); `stopAfter` leaves the run after that
   * many plugin replies (a node that goes away mid-run).
   */
  async run(
    message: AgentMessage,
    payload: SendCommandPayload,
    outcomes: Record<string, PluginOutcome> = {},
    options: { stopAfter?: number; finalOnly?: boolean } = {},
  ): Promise<void> {
    const plugins = pluginsOf(payload);
    const results: Record<string, ReturnType<typeof runtimeStatus>> = {};
    let sent = 0;
    for (const plugin of plugins) {
      const start = new Date();
      results[plugin.id] = runtimeStatus(plugin.name, outcomes[plugin.id] ?? {}, start, new Date(start.getTime() + 5));
      if (options.finalOnly) continue;
      if (options.stopAfter !== undefined && sent >= options.stopAfter) return;
      const statuses = Object.values(results).map((r) => r.status);
      await this.reply(
        message.MessageId,
        replyPayload("InProgress", { [plugin.id]: results[plugin.id] }, counts(statuses)),
      );
      sent++;
    }
    const statuses = Object.values(results).map((r) => r.status);
    await this.reply(
      message.MessageId,
      replyPayload(aggregate(statuses), plugins.length <= 1 ? results : {}, counts(statuses)),
    );
  }

  /** The whole of one message: poll for it, receive it, run it with these outcomes. */
  async handleNext(outcomes: Record<string, PluginOutcome> = {}): Promise<AgentMessage> {
    const message = await this.next();
    const payload = await this.receive(message);
    if (payload) await this.run(message, payload, outcomes);
    return message;
  }
}

/** The outcome of a one-plugin document's plugin (AWS-RunShellScript's `aws:runShellScript`). */
export const shellOutcome = (outcome: PluginOutcome) => ({ "aws:runShellScript": outcome });

/** mdsinteractor.go's pace: a poll and its processing under a second is followed by `2000+rand.Intn(500)` ms of sleep. */
export const AGENT_POLL_PACE = { quickMs: 1000, pauseMs: () => 2000 + Math.random() * 500 };

/** What `pollLoop` hands over of a message the agent took: its parsed command and when. */
export type Taken = {
  message: AgentMessage;
  payload: SendCommandPayload;
  /** When the poll that got it was answered (performance.now()). */
  deliveredAt: number;
  /** When the agent's InProgress reply for it was answered: the node's first report of the run. */
  inProgressAt: number;
};

/**
 * The agent's message poll loop, as it runs between its polls
 * (agent/messageservice/interactor/mdsinteractor/mdsinteractor.go at 1c217c89, `messagePollLoop`
 * and `pollOnce`): one GetMessages at a time; each message of the answer processed in turn before
 * the next poll (`processMessage`: parse, the InProgress reply, the acknowledgement: `receive`),
 * the run itself left to the processor (`onMessage` is not awaited); a failed poll is logged and
 * polling goes on (`sdkutil.HandleAwsError`). Then, "in case GetMessages returns without
 * blocking", when the poll and its processing took under a second the loop sleeps 2 to 2.5 s
 * (`2000+rand.Intn(500)` ms) before the next poll; otherwise it polls again at once (`SkipWait`).
 * So an empty answer held a second or more is followed by the next poll at once, and an answer
 * with a message (processed within the second) by a pause. Ends after the poll out when
 * `running()` turns false. `state.polling` says whether a poll is out now. `pace` is the agent's
 * second and its pause (a fleet time-compressed divides both: bench/lib/fleet/intervals.ts).
 */
export async function pollLoop(
  agent: ReplayedAgent,
  onMessage: (taken: Taken) => void,
  running: () => boolean,
  state: { polling: boolean; errors: number } = { polling: false, errors: 0 },
  pace: { quickMs: number; pauseMs: () => number } = AGENT_POLL_PACE,
): Promise<void> {
  while (running()) {
    const started = performance.now();
    try {
      state.polling = true;
      const messages = await agent.poll();
      state.polling = false;
      const deliveredAt = performance.now();
      for (const message of messages) {
        const payload = await agent.receive(message);
        // An agent with an observer keeps no calls: its InProgress reply was answered before receive returned.
        const reply = agent.calls.find((c) => c.operation === "SendReply" && c.messageId === message.MessageId);
        if (payload) onMessage({ message, payload, deliveredAt, inProgressAt: reply?.answeredAt ?? performance.now() });
      }
    } catch {
      state.polling = false;
      state.errors++;
    }
    if (performance.now() - started < pace.quickMs) {
      await new Promise((resolve) => setTimeout(resolve, pace.pauseMs()));
    }
  }
}
