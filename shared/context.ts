/**
 * Who is asking and where: the account and region every item is scoped by, and the principal
 * whose verified credentials said so (never the request body). A leaf: it imports only the
 * error set, so every layer can use it.
 */
import { AccessDeniedException } from "./errors.ts";

export type Scope = { readonly accountId: string; readonly region: string };

/** The verified caller of a SigV4-signed request. */
export type Principal = {
  accountId: string;
  region: string;
  accessKeyId: string;
  /** Set when the credentials were issued to a managed node. */
  nodeId?: string;
  /** The node's IAM role when they were issued, which their session is of (absent on older sessions). */
  nodeRole?: string;
};

export type RequestContext = Scope & {
  readonly requestId: string;
  readonly operation: string;
  readonly principal: Principal;
};

/**
 * Node credentials used for another node. The handler (shared/handler.ts) answers it in IAM's
 * wording, which names the node's role (a read this leaf can't make); the message here is only
 * what is left when no handler words it.
 */
export class ActsForAnotherNode extends AccessDeniedException {
  constructor(
    readonly nodeId: string,
    readonly instanceId: string,
  ) {
    super(`The credentials of managed node ${nodeId} can't be used to act for ${instanceId}.`);
  }
}

/** Credentials issued to a managed node act only for that node. */
export function assertMayActFor(principal: Principal, instanceId: string): void {
  if (principal.nodeId && principal.nodeId !== instanceId) throw new ActsForAnotherNode(principal.nodeId, instanceId);
}
