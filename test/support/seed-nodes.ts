/**
 * Many registered nodes at once, for the big-account tests and `BENCH_ONLY=accounts`: each node
 * written as registration writes it (shared/store/node-store.ts `register`: the node's item
 * `nodeItem`, its identity, one `nodeTagItem` per tag, the same builders), without the activation's
 * count or an RSA key per node, as BatchWriteItem of 25 items, `inFlight` batches at once
 * (unprocessed items sent again). 100,000 nodes register in seconds this way, not hours.
 */
import { randomBytes } from "node:crypto";
import type { Tag } from "@aws-sdk/client-ssm";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../../shared/context.ts";
import type { NodeRecord } from "../../shared/domain/nodes/records.ts";
import { EntityType, keys } from "../../shared/store/keys.ts";
import { nodeItem, nodeTagItem } from "../../shared/store/node-store.ts";

export type SeedOptions = {
  /** The tags of the i-th node. */
  tags: (i: number) => Tag[];
  /** Batches of 25 items in flight at once. */
  inFlight?: number;
  /** When the nodes last pinged (Online by default: now). */
  lastPing?: string;
  /** The i-th node's id (random by default). */
  id?: (i: number) => string;
};

/** Writes `count` registered, heartbeating nodes into `scope`; returns their ids. */
export async function seedNodes(
  db: DynamoDBDocumentClient,
  table: string,
  scope: Scope,
  count: number,
  options: SeedOptions,
): Promise<string[]> {
  const now = new Date().toISOString();
  const ids: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = options.id?.(i) ?? `mi-${randomBytes(9).toString("hex").slice(0, 17)}`;
    ids.push(id);
    const node: NodeRecord = {
      InstanceId: id,
      ResourceType: "ManagedInstance",
      ActivationId: "00000000-0000-4000-8000-000000000000",
      IamRole: "SSMServiceRole",
      RegistrationDate: now,
      LastPingDateTime: options.lastPing ?? now,
      AgentName: "amazon-ssm-agent",
      AgentVersion: "3.3.987.0",
      PlatformType: "Linux",
      PlatformName: "Ubuntu",
      PlatformVersion: "22.04",
      IPAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      ComputerName: `node-${i}`,
      Tags: options.tags(i),
      Revision: 0,
    };
    items.push(nodeItem(scope, node), {
      ...keys.nodeIdentity(id),
      Type: EntityType.NodeIdentity,
      InstanceId: id,
      AccountId: scope.accountId,
      Region: scope.region,
      PublicKey: "seeded",
      PublicKeyType: "Rsa",
      Fingerprint: "seeded",
      IamRole: node.IamRole,
    });
    for (const tag of node.Tags) items.push(nodeTagItem(scope, id, tag));
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: options.inFlight ?? 8 }, worker));
  return ids;
}
