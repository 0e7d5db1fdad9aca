/** Agent-facing: a registered node, signing with its RSA key, asks for credentials bound to it. */
import { nodeSignedOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { RequestManagedInstanceRoleToken } from "../shared/validation/generated/operations/RequestManagedInstanceRoleToken.ts";

export const handler = nodeSignedOperation<{ Fingerprint: string }, unknown>(
  RequestManagedInstanceRoleToken,
  (request, context, runtime) =>
    runtime.get(nodes).issueRoleToken(context.identity, context.region, request.Fingerprint),
);
