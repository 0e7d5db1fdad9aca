/**
 * Who is asking and where: the account and region every item is scoped by.
 * The region comes from the SigV4 credential scope the client signed with; until request
 * authentication lands, every access key belongs to the default account.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { config } from "../config.ts";
import { header } from "./json-protocol.ts";

export type Scope = { readonly accountId: string; readonly region: string };

export type RequestContext = Scope & {
  readonly requestId: string;
  readonly operation: string;
};

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/;

export function regionOf(event: Pick<APIGatewayProxyEvent, "headers">): string {
  const authorization = header(event.headers, "authorization");
  return authorization?.match(CREDENTIAL_SCOPE)?.[1] ?? config().defaultRegion;
}

export function requestContextOf(
  event: Pick<APIGatewayProxyEvent, "headers">,
  operation: string,
  requestId: string,
): RequestContext {
  return { accountId: config().defaultAccountId, region: regionOf(event), requestId, operation };
}
