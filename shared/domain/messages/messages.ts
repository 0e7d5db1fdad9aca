/**
 * The ec2messages channel the SSM Agent polls (docs/message-channel.md has what the agent sends
 * and expects, with its source files): GetMessages hands a node the messages in its own queue
 * (mailbox.ts), and the agent's AcknowledgeMessage, SendReply, FailMessage and DeleteMessage
 * settle them. A message's id names its owner (`aws.ssm.<owner id>.<node>`, message-id.ts): the
 * owner (a command) is told what the agent said, through the MessageOwner port.
 *
 * Only node credentials may call, for their own node: a poll's Destination and the node inside a
 * message id must be the caller's.
 */
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import { countEvent } from "../../lib/request-scope.ts";
import { accountMayNotPoll } from "./errors.ts";
import { DEFAULT_VISIBILITY_SECONDS, type Mailbox } from "./mailbox.ts";
import { parseMessageId } from "./message-id.ts";

export type GetMessagesInput = {
  Destination: string;
  MessagesRequestId: string;
  NextToken?: string;
  VisibilityTimeoutInSeconds?: number;
};

/** ssmmds.Message: every member a string (agent/runcommand/mds/service.go, the Go SDK's shape). */
export type WireMessage = {
  CreatedDate: string;
  Destination: string;
  MessageId: string;
  Payload: string;
  PayloadDigest: string;
  Topic: string;
};

export type GetMessagesOutput = { Destination: string; Messages: WireMessage[]; MessagesRequestId: string };

export type SendReplyInput = { MessageId: string; ReplyId: string; Payload: string };

export type SendReplyOutput = { MessageId: string; ReplyId: string; ReplyStatus: "Acknowledged" | "NoActionTaken" };

/** A message a call names: its id, its owner's id and its node. */
export type MessageRef = { messageId: string; ownerId: string; instanceId: string };

/** Whoever sent messages of an id (Run Command's commands): told what the agent did with them. */
export interface MessageOwner {
  /** The agent has the message (its acknowledgement, or its first reply). */
  received(scope: Scope, message: MessageRef): Promise<void>;
  /** One of the agent's replies, as sent; whether it changed anything. */
  replied(scope: Scope, message: MessageRef, payload: string): Promise<boolean>;
  /** The agent could not handle the message (FailMessage). */
  failed(scope: Scope, message: MessageRef): Promise<void>;
  /** The message is handed out again: the last handing out was never settled (a lost poll or agent). */
  redelivered(scope: Scope, message: MessageRef): Promise<void>;
}

/** The longest visibility timeout a poll may ask for (SQS's 12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

export class MessageChannel {
  /** `holdMs`: how long an empty poll is held open (MESSAGE_POLL_HOLD_SECONDS; docs/runs.md has the cost). */
  constructor(
    private readonly mailbox: Mailbox,
    private readonly owner: MessageOwner,
    private readonly holdMs: number,
  ) {}

  /** GetMessages: the node's visible messages, handed to this poll for the visibility timeout. */
  async getMessages(context: RequestContext, input: GetMessagesInput): Promise<GetMessagesOutput> {
    this.assertNodeCaller(context, "GetMessages", input.Destination);
    const visibility = Math.min(
      Math.max(input.VisibilityTimeoutInSeconds ?? DEFAULT_VISIBILITY_SECONDS, 0),
      MAX_VISIBILITY_SECONDS,
    );
    const messages = await this.mailbox.receive(context, input.Destination, visibility, this.holdMs);
    // Counted even when none: the metric then reads 0, not "no data".
    countEvent("MessagesDelivered", messages.length);
    // Handed out before and never settled: its owner hears of the second try.
    await Promise.all(
      messages
        .filter((message) => message.Deliveries > 1)
        .map((message) => {
          const ref = parseMessageId(message.MessageId);
          return ref ? this.owner.redelivered(context, { messageId: message.MessageId, ...ref }) : undefined;
        }),
    );
    return {
      Destination: input.Destination,
      // The request's id comes back, so the agent can match the answer to its poll.
      MessagesRequestId: input.MessagesRequestId,
      Messages: messages.map((message) => ({
        CreatedDate: message.CreatedDate,
        Destination: message.Destination,
        MessageId: message.MessageId,
        Payload: message.Payload,
        PayloadDigest: message.PayloadDigest,
        Topic: message.Topic,
      })),
    };
  }

  /** AcknowledgeMessage: the agent has the message; it is never handed out again. */
  async acknowledge(context: RequestContext, messageId: string): Promise<Record<string, never>> {
    const message = this.refOf(context, "AcknowledgeMessage", messageId);
    // Off the queue and the owner told at once: two writes of different items, in one round trip.
    if (message)
      await Promise.all([
        this.mailbox.take(context, message.instanceId, messageId),
        this.owner.received(context, message),
      ]);
    return {};
  }

  /**
   * SendReply: the agent's report on a message. The first reply also settles its delivery (the
   * agent replies before it acknowledges, and replies `Failed` without acknowledging a message
   * it cannot parse). A reply that changes nothing (a duplicate, a late one, one for a message
   * this service does not know) is answered NoActionTaken; the agent only logs the answer.
   */
  async sendReply(context: RequestContext, input: SendReplyInput): Promise<SendReplyOutput> {
    const message = this.refOf(context, "SendReply", input.MessageId);
    let applied = false;
    if (message) {
      [, applied] = await Promise.all([
        this.mailbox.take(context, message.instanceId, input.MessageId),
        this.owner.replied(context, message, input.Payload),
      ]);
    }
    return {
      MessageId: input.MessageId,
      ReplyId: input.ReplyId,
      ReplyStatus: applied ? "Acknowledged" : "NoActionTaken",
    };
  }

  /** FailMessage: the agent could not handle the message. */
  async fail(context: RequestContext, messageId: string): Promise<Record<string, never>> {
    const message = this.refOf(context, "FailMessage", messageId);
    if (message)
      await Promise.all([
        this.mailbox.take(context, message.instanceId, messageId),
        this.owner.failed(context, message),
      ]);
    return {};
  }

  /** DeleteMessage: the agent is done with the message (its updater, after its last reply). */
  async delete(context: RequestContext, messageId: string): Promise<Record<string, never>> {
    const message = this.refOf(context, "DeleteMessage", messageId);
    if (message) await this.mailbox.take(context, message.instanceId, messageId);
    return {};
  }

  /**
   * The message an id names, once the caller may settle it: ids of another form name nothing
   * this service sent (accepted, no effect, as before any message was ever sent).
   */
  private refOf(context: RequestContext, operation: string, messageId: string): MessageRef | undefined {
    const parsed = parseMessageId(messageId);
    if (!context.principal.nodeId) throw accountMayNotPoll(context, operation, parsed?.instanceId ?? messageId);
    if (!parsed) return undefined;
    assertMayActFor(context.principal, parsed.instanceId);
    return { messageId, ...parsed };
  }

  private assertNodeCaller(context: RequestContext, operation: string, instanceId: string): void {
    if (!context.principal.nodeId) throw accountMayNotPoll(context, operation, instanceId);
    assertMayActFor(context.principal, instanceId);
  }
}
