/** Agent-facing: a registered node, signing with its RSA key, asks for credentials bound to it. */
import { nodeSignedOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = nodeSignedOperation<{ Fingerprint: string }, unknown>(
  "RequestManagedInstanceRoleToken",
  (request, context) => nodes().issueRoleToken(context.identity, context.region, request.Fingerprint),
);
