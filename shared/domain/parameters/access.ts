/**
 * What a managed node's own credentials may do with parameters: what an instance role with the
 * AWS managed policy AmazonSSMManagedInstanceCore may do. That policy allows `ssm:GetParameter`
 * and `ssm:GetParameters` (enough for the agent's `{{ssm:...}}` and `{{ssm-secure:...}}`
 * references) and no other parameter action: every other one is refused as IAM refuses it.
 */

import type { RequestContext } from "../../context.ts";
import { notAuthorized } from "./errors.ts";

/** The parameter actions in AmazonSSMManagedInstanceCore (policy version v2). */
export const NODE_PARAMETER_ACTIONS: ReadonlySet<string> = new Set(["GetParameter", "GetParameters"]);

/** The IAM role a node's credentials stand for (the activation's role), when known. */
export type RoleOf = (context: RequestContext, nodeId: string) => Promise<string | undefined>;

/** Fails with AWS's AccessDeniedException when node credentials ask for an action their role lacks. */
export async function assertNodeMay(
  context: RequestContext,
  action: string,
  resourceArn: string,
  roleOf: RoleOf,
): Promise<void> {
  const nodeId = context.principal.nodeId;
  if (!nodeId || NODE_PARAMETER_ACTIONS.has(action)) return;
  const role = (await roleOf(context, nodeId)) ?? "SSMServiceRole";
  // An activation's role may be given as a path ("service-role/Name"): the session names the role only.
  const roleName = role.split("/").at(-1);
  const user = `arn:aws:sts::${context.accountId}:assumed-role/${roleName}/${nodeId}`;
  throw notAuthorized(user, action, resourceArn);
}
