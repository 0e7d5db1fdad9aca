/**
 * Managed nodes the way AWS has them: registered by the SSM Agent with a hybrid activation
 * (`mi-` ids, an RSA identity, credentials bound to the node), or announced by an agent that
 * already holds account credentials (`i-` ids, as an EC2 instance with an instance profile).
 */
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import type {
  Activation,
  CreateActivationRequest,
  DescribeActivationsRequest,
  DescribeInstanceInformationRequest,
  InstanceInformation,
  Tag,
} from "@aws-sdk/client-ssm";
import { isUsablePublicKey } from "../../auth/node-signature.ts";
import { assertMayActFor, type RequestContext, type Scope } from "../../context.ts";
import {
  InvalidFilter,
  InvalidInstanceId,
  InvalidParameters,
  InvalidPublicKey,
  MachineFingerprintDoesNotMatch,
  ValidationException,
} from "../../errors.ts";
import { actingFor, countEvent } from "../../lib/request-scope.ts";
import type { Accounts } from "../accounts/accounts.ts";
import { filteredPage } from "../pagination.ts";
import { initialTags } from "../tags.ts";
import { type AssociationSummary, associationSummary, type ReportedStatus } from "./association-summary.ts";
import { invalidActivation, nodeNotFound, notAManagedNode, unknownNode } from "./errors.ts";
import { nodeIdentity } from "./identity.ts";
import { nodeFilter } from "./instance-filters.ts";
import {
  type ActivationRecord,
  type NodeIdentityRecord,
  type NodeRecord,
  type NodeReport,
  REPORTED_FIELDS,
} from "./records.ts";
import type { NodeStore } from "./store.ts";

/** A node not heard from for longer than this reads `ConnectionLost`: 15 minutes (the agent pings every 5). */
export const CONNECTION_LOST_AFTER_MS = 15 * 60 * 1000;
/** Credentials issued to a node last an hour; the agent asks for new ones before then. */
export const NODE_CREDENTIALS_LIFETIME_SECONDS = 3600;
const DEFAULT_ACTIVATION_LIFETIME_MS = 24 * 3600 * 1000;
const MAX_ACTIVATION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const EC2_ID = /^i-(\w{8}|\w{17})$/;
const hashCode = (code: string) => createHash("sha256").update(code, "utf8").digest("hex");

export type RegistrationRequest = {
  ActivationCode: string;
  ActivationId: string;
  PublicKey: string;
  PublicKeyType: "Rsa";
  Fingerprint: string;
  IamRole?: string;
  Tags?: Tag[];
};

/** UpdateInstanceInformation: the node it is about, and what its agent reports. */
export type InstanceInformationUpdate = NodeReport & { InstanceId: string; AgentStatus?: string };

/** Reads of targeted nodes a request has made, by what they read (Nodes.targetedNodeIds). */
export type TargetReads = Map<string, Promise<string[]>>;
const EVERY_NODE = "*";
/** DescribeInstanceInformation with a filter on the nodes' own items: nodes read per listing page... */
const SCAN_PAGE = 100;
/** ... and at most this many nodes read per request (a filter the keys can't answer). */
const SCANNED_NODES = 1000;
/** With an AssociationStatus filter (a query per node read): listing pages per request. */
const SUMMARIZED_READS = 2;
/** Items a query page asks for when resolving targets (a 1 MB page ends it sooner). */
const TARGET_PAGE = 1000;

/** A node with the summary of its associations (DescribeInstanceInformation). */
export type SummarizedNode = NodeRecord & { Associations?: AssociationSummary };

export class Nodes {
  constructor(
    private readonly store: NodeStore,
    private readonly accounts: () => Promise<Accounts>,
    private readonly now: () => Date = () => new Date(),
    /** The statuses a node reported for its associations (one query per node). */
    private readonly associationStatuses: (
      scope: Scope,
      instanceId: string,
    ) => Promise<ReportedStatus[]> = async () => [],
  ) {}

  async createActivation(scope: Scope, request: CreateActivationRequest) {
    const now = this.now();
    const expiration = request.ExpirationDate
      ? new Date(request.ExpirationDate)
      : new Date(now.getTime() + DEFAULT_ACTIVATION_LIFETIME_MS);
    if (expiration.getTime() <= now.getTime() || expiration.getTime() > now.getTime() + MAX_ACTIVATION_LIFETIME_MS) {
      throw new InvalidParameters("ExpirationDate must be in the future and at most 30 days from now.");
    }
    if (request.RegistrationMetadata?.length) {
      throw new ValidationException("RegistrationMetadata is not supported by this service.");
    }
    let code = "";
    for (let i = 0; i < 20; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const activation: ActivationRecord = {
      ActivationId: randomUUID(),
      AccountId: scope.accountId,
      Region: scope.region,
      CodeHash: hashCode(code),
      Description: request.Description,
      DefaultInstanceName: request.DefaultInstanceName,
      IamRole: request.IamRole as string,
      RegistrationLimit: request.RegistrationLimit ?? 1,
      RegistrationsCount: 0,
      ExpirationDate: expiration.toISOString(),
      CreatedDate: now.toISOString(),
      Tags: initialTags(request.Tags),
    };
    await this.store.putActivation(activation);
    return { ActivationId: activation.ActivationId, ActivationCode: code };
  }

  async describeActivations(scope: Scope, request: DescribeActivationsRequest) {
    const filters = (request.Filters ?? []).map((filter) => ({
      key: filter.FilterKey,
      values: filter.FilterValues ?? [],
    }));
    for (const { key } of filters) if (!key) throw new InvalidFilter("The filter key is not valid.");
    const matches = (activation: ActivationRecord) =>
      filters.every(({ key, values }) => {
        const field =
          key === "ActivationIds"
            ? activation.ActivationId
            : key === "IamRole"
              ? activation.IamRole
              : activation.DefaultInstanceName;
        return values.length === 0 || values.includes(field ?? "");
      });
    const page = await filteredPage({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? 50,
      keyOf: (activation: ActivationRecord) => activation.ActivationId,
      matches,
      fetch: (after, limit) => this.store.listActivations(scope, after, limit),
    });
    return {
      ActivationList: page.items.map((activation) => this.activationView(activation)),
      NextToken: page.nextToken,
    };
  }

  async deleteActivation(scope: Scope, activationId: string): Promise<void> {
    await this.store.deleteActivation(scope, activationId);
  }

  /** An agent registers with an activation: unsigned, so everything rests on the activation code. */
  async register(request: RegistrationRequest): Promise<{ InstanceId: string }> {
    const activation = await this.store.getActivation(request.ActivationId);
    if (!activation) throw invalidActivation();
    if (!isUsablePublicKey(request.PublicKey)) {
      throw new InvalidPublicKey("PublicKey must be the base64 DER encoding of an RSA public key.");
    }
    const now = this.now().toISOString();
    const instanceId = `mi-${randomBytes(9).toString("hex").slice(0, 17)}`;
    const node: NodeRecord = {
      InstanceId: instanceId,
      ResourceType: "ManagedInstance",
      Name: activation.DefaultInstanceName,
      ActivationId: activation.ActivationId,
      IamRole: request.IamRole ?? activation.IamRole,
      RegistrationDate: now,
      Tags: initialTags([
        ...activation.Tags.filter((tag) => !request.Tags?.some((t) => t.Key === tag.Key)),
        ...(request.Tags ?? []),
      ]),
      Revision: 0,
    };
    const identity: NodeIdentityRecord = {
      InstanceId: instanceId,
      AccountId: activation.AccountId,
      Region: activation.Region,
      PublicKey: request.PublicKey,
      PublicKeyType: request.PublicKeyType,
      Fingerprint: request.Fingerprint,
      IamRole: node.IamRole,
    };
    await this.store.register(activation, hashCode(request.ActivationCode), now, node, identity);
    actingFor({ accountId: activation.AccountId, region: activation.Region, nodeId: instanceId });
    return { InstanceId: instanceId };
  }

  /** Credentials bound to a node that proved itself with its key and machine fingerprint. */
  async issueRoleToken(identity: NodeIdentityRecord, region: string, fingerprint: string) {
    if (fingerprint !== identity.Fingerprint) {
      throw new MachineFingerprintDoesNotMatch("Fingerprint does not match");
    }
    if (region !== identity.Region) {
      throw new InvalidInstanceId(`Instance ${identity.InstanceId} is not registered in Region ${region}.`);
    }
    const credentials = await (await this.accounts()).createTemporaryCredentials(
      identity.AccountId,
      NODE_CREDENTIALS_LIFETIME_SECONDS,
      { nodeId: identity.InstanceId, role: identity.IamRole },
    );
    return {
      AccessKeyId: credentials.AccessKeyId,
      SecretAccessKey: credentials.SecretAccessKey,
      SessionToken: credentials.SessionToken,
      TokenExpirationDate: credentials.Expiration,
      UpdateKeyPair: false,
    };
  }

  async rotatePublicKey(identity: NodeIdentityRecord, publicKey: string, publicKeyType: "Rsa"): Promise<void> {
    if (!isUsablePublicKey(publicKey)) {
      throw new InvalidPublicKey("NewPublicKey must be the base64 DER encoding of an RSA public key.");
    }
    await this.store.setPublicKey(identity.InstanceId, publicKey, publicKeyType);
  }

  /**
   * The agent's heartbeat. Node credentials speak only for their node; account credentials may
   * announce an EC2-style node, which makes it a managed node of the account.
   */
  async heartbeat(context: RequestContext, update: InstanceInformationUpdate): Promise<void> {
    assertMayActFor(context.principal, update.InstanceId);
    const { nodeId } = context.principal;
    const createAsEc2 = !nodeId && EC2_ID.test(update.InstanceId);
    if (!createAsEc2 && !update.InstanceId.startsWith("mi-")) throw nodeNotFound(update.InstanceId);
    await this.store.heartbeat(
      context,
      update.InstanceId,
      {
        LastPingDateTime: this.now().toISOString(),
        // Only what a node record keeps: agents send more (SourceId, SSMConnectionChannel, ...).
        ...Object.fromEntries(REPORTED_FIELDS.map((field) => [field, update[field]])),
      },
      createAsEc2,
    );
    countEvent("NodeHeartbeats");
  }

  async describeInstanceInformation(scope: Scope, request: DescribeInstanceInformationRequest) {
    const filter = nodeFilter(request, (node) => this.pingStatus(node));
    // AWS refuses ids it does not know when they are asked for by id: one read for all of them,
    // which is also every node the answer can hold (no listing of the account's nodes). Each
    // node's association summary is keyed by the id asked for, so its query goes out with that
    // read: asking by id is one round trip (an unknown id's query finds nothing and is dropped).
    if (filter.instanceIds) {
      const ids = [...new Set(filter.instanceIds)];
      const [named, summaries] = await Promise.all([
        this.store.getNodes(scope, ids),
        Promise.all(ids.map(async (id) => associationSummary(await this.associationStatuses(scope, id)))),
      ]);
      const summaryOf = new Map(ids.map((id, i) => [id, summaries[i] ?? {}]));
      const known = new Set(named.map((node) => node.InstanceId));
      const unknown = filter.instanceIds.find((id) => !known.has(id));
      if (unknown && !request.NextToken) throw unknownNode(unknown);
      const sorted = named.sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : a.InstanceId > b.InstanceId ? 1 : 0));
      const page = await filteredPage({
        nextToken: request.NextToken,
        limit: request.MaxResults ?? 50,
        keyOf: (node: SummarizedNode) => node.InstanceId,
        matches: filter.matches,
        fetch: async (after) => {
          const items = sorted.filter((node) => after === undefined || node.InstanceId > after);
          return {
            items: items.map((node) => ({ ...node, Associations: summaryOf.get(node.InstanceId) ?? {} })),
            more: false,
          };
        },
      });
      return { InstanceInformationList: page.items.map((node) => this.information(node)), NextToken: page.nextToken };
    }
    // Without ids, the nodes come from a listing in id order: the node tag index's when a tag
    // filter is given (the nodes with that tag, by key), else the account's node listing; the
    // other filters are applied to each node's own item as it is read, and the association
    // summaries (one query per node) are read for the page's nodes only, or for every candidate
    // when AssociationStatus is filtered on. A request reads a bounded number of listing pages
    // (issue 30): a filter that matches few nodes answers fewer than MaxResults and a NextToken.
    const limit = request.MaxResults ?? 50;
    // The node listing is read in pages of 100 when filters may leave few of a page (at most
    // 1,000 nodes a request); the tag index is exact for its tag, so it is read a page at a time.
    const scanning = filter.filtersNodes && !filter.tagged;
    const page = await filteredPage({
      nextToken: request.NextToken,
      limit,
      keyOf: (node: SummarizedNode) => node.InstanceId,
      matches: filter.needsSummary ? filter.matches : () => true,
      maxReads: filter.needsSummary ? SUMMARIZED_READS : Math.ceil(SCANNED_NODES / SCAN_PAGE),
      fetch: async (after, want) => {
        const read = filter.tagged
          ? await this.taggedPage(scope, filter.tagged, after, want)
          : await this.listingPage(scope, after, scanning && !filter.needsSummary ? Math.max(want, SCAN_PAGE) : want);
        const candidates = read.items.filter(filter.matchesNode);
        const items = filter.needsSummary ? await this.summarized(scope, candidates) : candidates;
        return { items, more: read.more, last: read.last };
      },
    });
    const nodes = filter.needsSummary ? page.items : await this.summarized(scope, page.items);
    return { InstanceInformationList: nodes.map((node) => this.information(node)), NextToken: page.nextToken };
  }

  /** A page of the account's node listing, and where it ended. */
  private async listingPage(scope: Scope, after: string | undefined, limit: number) {
    const page = await this.store.listNodes(scope, after, limit);
    return { ...page, last: page.items.at(-1)?.InstanceId };
  }

  /**
   * A page of the nodes with any of these tags, in id order after `after`: each tag's ids from
   * the node tag index (one query each, at once), merged up to the first tag's page end that
   * has more (past it a tag may hold ids not read yet), then the nodes by id (one batch).
   */
  private async taggedPage(
    scope: Scope,
    tags: { key: string; value?: string }[],
    after: string | undefined,
    limit: number,
  ): Promise<{ items: NodeRecord[]; more: boolean; last: string | undefined }> {
    const pages = await Promise.all(tags.map((tag) => this.store.nodesTagged(scope, tag, after, limit)));
    const ends = pages.filter((page) => page.more).map((page) => page.last ?? page.items.at(-1) ?? "");
    const bound = ends.length > 0 ? ends.sort()[0] : undefined;
    const union = [...new Set(pages.flatMap((page) => page.items))]
      .filter((id) => bound === undefined || id <= bound)
      .sort();
    const ids = union.slice(0, limit);
    // A node deregistered between the two reads is left out; the page still ends at the last id read.
    const nodes = await this.store.getNodes(scope, ids);
    return {
      items: nodes.sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : a.InstanceId > b.InstanceId ? 1 : 0)),
      more: ends.length > 0 || union.length > limit,
      // A full page ends at its last id; a short one read everything up to the bound.
      last: union.length > limit ? ids.at(-1) : (bound ?? ids.at(-1)),
    };
  }

  /** Nodes with the summary of their association statuses (one query per node, in parallel). */
  private async summarized(scope: Scope, nodes: NodeRecord[]): Promise<SummarizedNode[]> {
    const summaries = await Promise.all(
      nodes.map(async (node) => associationSummary(await this.associationStatuses(scope, node.InstanceId))),
    );
    return nodes.map((node, i) => ({ ...node, Associations: summaries[i] ?? {} }));
  }

  async deregister(scope: Scope, instanceId: string): Promise<void> {
    await this.store.deregister(scope, instanceId);
  }

  async updateRole(scope: Scope, instanceId: string, iamRole: string): Promise<void> {
    await this.store.setRole(scope, instanceId, iamRole);
  }

  /** The nodes of this account and region among these ids, in one read. */
  nodesByIds(scope: Scope, instanceIds: string[]): Promise<NodeRecord[]> {
    return this.store.getNodes(scope, instanceIds);
  }

  /** The identity a registered node signs with (./identity.ts). */
  identity(instanceId: string): Promise<NodeIdentityRecord> {
    return nodeIdentity(this.store, instanceId);
  }

  /** A managed node of this account and region that a request names; any other id is refused. */
  async managedNode(scope: Scope, instanceId: string): Promise<NodeRecord> {
    const [node] = await this.store.getNodes(scope, [instanceId]);
    if (!node) throw notAManagedNode(instanceId);
    return node;
  }

  /** A node of this account and region, for tagging. */
  async node(scope: Scope, instanceId: string): Promise<NodeRecord | undefined> {
    return this.store.getNode(scope, instanceId);
  }

  /**
   * The managed nodes an association (or a command's Targets) targets now, for a new run, by key
   * (issue 30: never a read of every node of the account unless it targets every node): a legacy
   * association's node and the nodes `InstanceIds` name (one read; ids no longer registered are
   * left out), `tag:<key>` and `tag-key` targets from the node tag index (one Query per value a
   * page), `InstanceIds=*` the node listing. Different targets add up, as `targetsNode` has it;
   * a target that names no node (ParameterValues) adds none. `shared` keeps each read for the
   * other associations of the same request (CreateAssociationBatch).
   */
  async targetedNodeIds(
    scope: Scope,
    association: { InstanceId?: string; Targets?: { Key?: string; Values?: string[] }[] },
    shared: TargetReads = new Map(),
    /** Stop reading a tag's (or the account's) nodes past this many: the caller only needs to know there are more. */
    atMost = Number.POSITIVE_INFINITY,
  ): Promise<string[]> {
    const bounded = Number.isFinite(atMost) ? `<${atMost}` : "";
    const once = (read: string, work: () => Promise<string[]>) => {
      const key = `${read}${bounded}`;
      let found = shared.get(key);
      if (!found) {
        found = work();
        shared.set(key, found);
      }
      return found;
    };
    const named: string[] = association.InstanceId ? [association.InstanceId] : [];
    const reads: Promise<string[]>[] = [];
    for (const target of association.InstanceId ? [] : (association.Targets ?? [])) {
      const key = target.Key ?? "";
      const values = target.Values ?? [];
      if (key === "InstanceIds") {
        if (values.includes("*")) reads.push(once(EVERY_NODE, () => this.everyNodeId(scope, atMost)));
        else named.push(...values);
      } else if (key === "tag-key") {
        for (const tagKey of values)
          reads.push(once(`tag-key=${tagKey}`, () => this.tagged(scope, { key: tagKey }, atMost)));
      } else if (key.startsWith("tag:")) {
        const tagKey = key.slice(4);
        for (const value of values) {
          reads.push(once(`tag:${tagKey}=${value}`, () => this.tagged(scope, { key: tagKey, value }, atMost)));
        }
      }
    }
    if (named.length > 0) {
      const ids = [...new Set(named)];
      reads.push(
        once(`InstanceIds=${ids.join(",")}`, async () =>
          (await this.store.getNodes(scope, ids)).map((n) => n.InstanceId),
        ),
      );
    }
    const found = await Promise.all(reads);
    return [...new Set(found.flat())].sort();
  }

  /** Every id with a tag (key, or key and value), from the node tag index, page by page. */
  private async tagged(scope: Scope, tag: { key: string; value?: string }, atMost: number): Promise<string[]> {
    const found: string[] = [];
    let after: string | undefined;
    let more = true;
    while (more && found.length < atMost) {
      const page = await this.store.nodesTagged(scope, tag, after, TARGET_PAGE);
      found.push(...page.items);
      // Where the read ended, not the last id kept: a page may keep none (another tag's items).
      after = page.last ?? page.items.at(-1);
      more = page.more && after !== undefined;
    }
    return found;
  }

  /** Every node id of the account, in id order (an `InstanceIds=*` target names them all). */
  private async everyNodeId(scope: Scope, atMost: number): Promise<string[]> {
    const found: string[] = [];
    let more = true;
    while (more && found.length < atMost) {
      const page = await this.store.listNodes(scope, found.at(-1), TARGET_PAGE);
      found.push(...page.items.map((node) => node.InstanceId));
      more = page.more;
    }
    return found;
  }

  pingStatus(node: NodeRecord): "Online" | "ConnectionLost" {
    if (!node.LastPingDateTime) return "ConnectionLost";
    return this.now().getTime() - new Date(node.LastPingDateTime).getTime() <= CONNECTION_LOST_AFTER_MS
      ? "Online"
      : "ConnectionLost";
  }

  private information(node: SummarizedNode): InstanceInformation {
    return {
      ...node.Associations,
      InstanceId: node.InstanceId,
      PingStatus: this.pingStatus(node),
      LastPingDateTime: node.LastPingDateTime ? new Date(node.LastPingDateTime) : undefined,
      AgentVersion: node.AgentVersion,
      IsLatestVersion: false,
      PlatformType: node.PlatformType,
      PlatformName: node.PlatformName,
      PlatformVersion: node.PlatformVersion,
      ActivationId: node.ActivationId,
      IamRole: node.IamRole,
      RegistrationDate: new Date(node.RegistrationDate),
      ResourceType: node.ResourceType,
      Name: node.Name,
      IPAddress: node.IPAddress,
      ComputerName: node.ComputerName,
      SourceId: node.InstanceId,
      SourceType: node.ResourceType === "EC2Instance" ? "AWS::EC2::Instance" : "AWS::SSM::ManagedInstance",
    };
  }

  private activationView(activation: ActivationRecord): Activation {
    return {
      ActivationId: activation.ActivationId,
      Description: activation.Description,
      DefaultInstanceName: activation.DefaultInstanceName,
      IamRole: activation.IamRole,
      RegistrationLimit: activation.RegistrationLimit,
      RegistrationsCount: activation.RegistrationsCount,
      ExpirationDate: new Date(activation.ExpirationDate),
      Expired: new Date(activation.ExpirationDate).getTime() <= this.now().getTime(),
      CreatedDate: new Date(activation.CreatedDate),
      Tags: activation.Tags,
    };
  }
}
