/**
 * The identity a registered node signs with (its RSA key, account and Region): what the wiring
 * checks a node-signed request against, on the node store alone (shared/handler.ts), so that a
 * function does not carry the nodes service for it.
 */
import { nodeNotFound } from "./errors.ts";
import type { NodeIdentityRecord } from "./records.ts";
import type { NodeStore } from "./store.ts";

/** The node's identity; any other id is refused as AWS refuses it. */
export async function nodeIdentity(
  store: Pick<NodeStore, "getIdentity">,
  instanceId: string,
): Promise<NodeIdentityRecord> {
  const identity = await store.getIdentity(instanceId);
  if (!identity) throw nodeNotFound(instanceId);
  return identity;
}
