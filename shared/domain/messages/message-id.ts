/**
 * Message ids, topics and digests as the SSM Agent reads them (docs/message-channel.md):
 * `aws.ssm.<id>.<InstanceId>` (agent/runcommand/contracts/model.go `GetCommandID` takes the
 * second-to-last dot-separated part), the topics' prefixes `aws.ssm.sendCommand` and
 * `aws.ssm.cancelCommand` (agent/messageservice/utils/messageutil.go), and AWS's full topic as in
 * the agent's sample of a real answer (agent/runcommand/testdata/sampleGetMessagesResp.json:
 * `aws.ssm.sendCommand.us.east.1.1`).
 */
import { createHash } from "node:crypto";

/** The message of owner `ownerId` (a command id) for one node. */
export const messageIdOf = (ownerId: string, instanceId: string): string => `aws.ssm.${ownerId}.${instanceId}`;

/** The owner and node a message id names, or undefined for an id of another form. */
export function parseMessageId(messageId: string): { ownerId: string; instanceId: string } | undefined {
  const parts = messageId.split(".");
  if (parts.length !== 4 || parts[0] !== "aws" || parts[1] !== "ssm") return undefined;
  const [, , ownerId = "", instanceId = ""] = parts;
  return ownerId && instanceId ? { ownerId, instanceId } : undefined;
}

export type TopicKind = "sendCommand" | "cancelCommand";

/** `aws.ssm.sendCommand.us.east.1.1` for us-east-1. */
export const topicOf = (kind: TopicKind, region: string): string => `aws.ssm.${kind}.${region.replaceAll("-", ".")}.1`;

/** The hex SHA-256 of a payload: every digest of the agent's sample answer is exactly that. */
export const payloadDigest = (payload: string): string => createHash("sha256").update(payload, "utf8").digest("hex");
