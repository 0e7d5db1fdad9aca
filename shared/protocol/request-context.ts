/**
 * Who is asking and where: the account and region every item is scoped by. Both come from the
 * verified SigV4 credential, never from the request body.
 */
import type { Principal } from "../auth/authenticate.ts";

export type Scope = { readonly accountId: string; readonly region: string };

export type RequestContext = Scope & {
  readonly requestId: string;
  readonly operation: string;
  readonly principal: Principal;
};
