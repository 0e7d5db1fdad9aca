/**
 * The store the nodes domain needs (implemented by shared/store/node-store.ts). Registration is
 * one transaction with the activation's limit; failures come back as ./errors.ts says.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type { ActivationRecord, Heartbeat, NodeIdentityRecord, NodeRecord } from "./records.ts";

export interface NodeStore {
  putActivation(activation: ActivationRecord): Promise<void>;
  getActivation(activationId: string): Promise<ActivationRecord | undefined>;
  listActivations(scope: Scope, after: string | undefined, limit: number): Promise<Page<ActivationRecord>>;
  deleteActivation(scope: Scope, activationId: string): Promise<void>;
  /** The node and its identity, only if the code matches and the activation is current and below its limit. */
  register(
    activation: ActivationRecord,
    codeHash: string,
    now: string,
    node: NodeRecord,
    identity: NodeIdentityRecord,
  ): Promise<void>;
  getNode(scope: Scope, instanceId: string): Promise<NodeRecord | undefined>;
  /** Several nodes in one call; missing ones are simply absent. */
  getNodes(scope: Scope, instanceIds: string[]): Promise<NodeRecord[]>;
  getIdentity(instanceId: string): Promise<NodeIdentityRecord | undefined>;
  setPublicKey(instanceId: string, publicKey: string, publicKeyType: "Rsa"): Promise<void>;
  /** A registered node must exist; with `createAsEc2` the first heartbeat creates an EC2-style node. */
  heartbeat(scope: Scope, instanceId: string, beat: Heartbeat, createAsEc2: boolean): Promise<void>;
  listNodes(scope: Scope, after: string | undefined, limit: number): Promise<Page<NodeRecord>>;
  /**
   * The ids of the nodes with a tag key (no value) or a tag key and value, in id order after
   * `after`, a page of at most `limit` read (the node tag index: never a read of every node), and
   * the id the page's read ended at (`last`, when there is more: the next page goes on after it,
   * even when none of the page's items was that tag's).
   */
  nodesTagged(
    scope: Scope,
    tag: { key: string; value?: string },
    after: string | undefined,
    limit: number,
  ): Promise<Page<string> & { last?: string }>;
  deregister(scope: Scope, instanceId: string): Promise<void>;
  setRole(scope: Scope, instanceId: string, iamRole: string): Promise<void>;
  putTags(scope: Scope, node: NodeRecord, tags: Tag[]): Promise<void>;
}
