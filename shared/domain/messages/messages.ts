/**
 * The ec2messages channel as this service serves it: there is never a Run Command message to
 * deliver, so GetMessages is AWS's answer for an empty queue (a long poll that ends with an empty
 * `Messages` list) and the four message calls are accepted for any message id. Nothing is stored;
 * the only DynamoDB read is the caller's key, which a warm function already has cached.
 *
 * Why answer at all: an agent pointed at this endpoint for `Mds` otherwise gets an error on every
 * poll, which it logs and counts toward its stop policy (10 errors, then 15 minutes off).
 */
import { assertMayActFor, type RequestContext } from "../../context.ts";
import { countEvent } from "../../lib/request-scope.ts";

export type GetMessagesInput = {
  Destination: string;
  MessagesRequestId: string;
  NextToken?: string;
  VisibilityTimeoutInSeconds?: number;
};

export type GetMessagesOutput = { Destination: string; Messages: []; MessagesRequestId: string };

export type SendReplyInput = { MessageId: string; ReplyId: string; Payload: string };

/** Waits without holding the event loop; a hold of 0 answers at once. */
export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export class MessageChannel {
  /** `holdMs`: how long an empty poll is held open (MESSAGE_POLL_HOLD_SECONDS; README has the cost). */
  constructor(
    private readonly holdMs: number,
    private readonly wait: Sleep = sleep,
  ) {}

  /** GetMessages: a node polls for its own messages only; there are none. */
  async getMessages(context: RequestContext, input: GetMessagesInput): Promise<GetMessagesOutput> {
    assertMayActFor(context.principal, input.Destination);
    await this.wait(this.holdMs);
    const messages: NonNullable<GetMessagesOutput["Messages"]> = [];
    // Counted even when none (as now, always): the metric then reads 0, not "no data".
    countEvent("MessagesDelivered", messages.length);
    // The request's id comes back, so the agent can match the answer to its poll.
    return { Destination: input.Destination, Messages: messages, MessagesRequestId: input.MessagesRequestId };
  }

  /**
   * SendReply for a message this service never delivered: accepted, and said so with
   * `NoActionTaken` (one of the model's ReplyStatus values), so the agent does not keep the reply
   * on disk to resend it.
   */
  async sendReply(_context: RequestContext, input: SendReplyInput) {
    return { MessageId: input.MessageId, ReplyId: input.ReplyId, ReplyStatus: "NoActionTaken" };
  }

  /** AcknowledgeMessage, FailMessage, DeleteMessage: nothing to change; an empty answer, as AWS's. */
  async settle(_context: RequestContext, _messageId: string): Promise<Record<string, never>> {
    return {};
  }
}
