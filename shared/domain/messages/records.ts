/**
 * A message waiting in a node's queue, as the store keeps it: what GetMessages hands out
 * (agent/runcommand/mds/service.go reads ssmmds.Message: CreatedDate, Destination, MessageId,
 * Payload, PayloadDigest, Topic, all strings), and when it may be handed out again.
 */
export type QueuedMessage = {
  MessageId: string;
  /** The node's instance id. */
  Destination: string;
  Topic: string;
  Payload: string;
  /** Hex SHA-256 of Payload. */
  PayloadDigest: string;
  /** ISO-8601 with milliseconds (the model's minimum length is 24). */
  CreatedDate: string;
  /** Epoch ms: handed out again from then on unless it is settled first. */
  VisibleAt: number;
  /** How many times it has been handed out. */
  Deliveries: number;
  /** Epoch ms: never handed out from then on (its sender has settled it as undelivered). */
  DeliverBy?: number;
  /**
   * The association run the message is part of (a pushed run's target): handed out only while
   * that run has not stopped on MaxErrors, checked in the same write as the hand-out.
   */
  Run?: { AssociationId: string; ExecutionId: string; Refresh?: boolean };
};

/** A message to put in a node's queue. */
export type OutgoingMessage = Pick<
  QueuedMessage,
  "MessageId" | "Destination" | "Topic" | "Payload" | "CreatedDate" | "DeliverBy" | "Run"
>;
