/**
 * The message channel's refusals. Account credentials may not speak for a node on the channel:
 * IAM's wording for an identity whose policy does not reach the resource, with the account's
 * root as the caller (this service's account credentials are the account's own) and the node's
 * ARN as the resource (auth/node-policy.ts has the same wording for node credentials).
 */
import { nodeArn } from "../../auth/node-policy.ts";
import type { Scope } from "../../context.ts";
import { AccessDeniedException } from "../../errors.ts";

export const accountMayNotPoll = (scope: Scope, operation: string, instanceId: string) =>
  new AccessDeniedException(
    `User: arn:aws:iam::${scope.accountId}:root is not authorized to perform: ec2messages:${operation} on resource: ${nodeArn(instanceId, scope)}`,
  );
