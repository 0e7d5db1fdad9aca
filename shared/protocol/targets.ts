/**
 * Which `X-Amz-Target` prefix and SigV4 service name each served operation answers to. Two AWS
 * services share this endpoint: SSM itself (`AmazonSSM.<Op>`, signed for `ssm`) and the message
 * delivery service the SSM Agent polls for Run Command messages (`ec2messages`, whose JSON 1.1
 * target prefix is `EC2WindowsMessageDeliveryService`, as in the agent's own client:
 * vendor/github.com/aws/aws-sdk-go/service/ssmmds/service.go in amazon-ssm-agent). An operation is
 * served only under its own service's prefix and signature scope, never the other's.
 */
export const SSM_TARGET_PREFIX = "AmazonSSM.";
export const MESSAGES_TARGET_PREFIX = "EC2WindowsMessageDeliveryService.";

/** The ec2messages operations the agent calls (GetEndpoint it never does). */
export const MESSAGE_OPERATIONS: ReadonlySet<string> = new Set([
  "AcknowledgeMessage",
  "DeleteMessage",
  "FailMessage",
  "GetMessages",
  "SendReply",
]);

export type ServiceName = "ssm" | "ec2messages";

export function signingServiceOf(operation: string): ServiceName {
  return MESSAGE_OPERATIONS.has(operation) ? "ec2messages" : "ssm";
}

export function targetPrefixOf(operation: string): string {
  return MESSAGE_OPERATIONS.has(operation) ? MESSAGES_TARGET_PREFIX : SSM_TARGET_PREFIX;
}

/** The full `X-Amz-Target` value a client sends for an operation. */
export function targetOf(operation: string): string {
  return `${targetPrefixOf(operation)}${operation}`;
}

/**
 * The operation a target names, if the prefix is one of ours and the operation belongs to that
 * prefix's service; `known` says whether the prefix was ours at all (for the error message).
 */
export function operationOfTarget(target: string | undefined): { operation?: string; known: boolean } {
  for (const prefix of [SSM_TARGET_PREFIX, MESSAGES_TARGET_PREFIX]) {
    if (!target?.startsWith(prefix)) continue;
    const operation = target.slice(prefix.length);
    return { operation: targetPrefixOf(operation) === prefix ? operation : undefined, known: true };
  }
  return { known: false };
}
