/**
 * Activations and managed nodes in the single table.
 *
 * Registration is one transaction: the activation's count goes up only if the code matches, the
 * activation has not expired and is below its limit, and only together with the node's creation
 * and its identity's; so the limit holds however many agents register at once.
 *
 * The node tag index (keys.ts, issue 30): every write of a node's tags writes its NodeTag items in
 * the same transaction (registration, a tag change under the revision read, deregistration), so
 * the index is exactly the nodes' tags, and the nodes a tag target names are read by key
 * (`nodesTagged`), never by listing the account's nodes.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { PutCommand, QueryCommand, ScanCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import { invalidActivation, nodeNotFound, nodeTooManyUpdates } from "../domain/nodes/errors.ts";
import type { ActivationRecord, Heartbeat, NodeIdentityRecord, NodeRecord } from "../domain/nodes/records.ts";
import type { NodeStore } from "../domain/nodes/store.ts";
import {
  ActivationExpired,
  InvalidActivationId,
  PublicKeyAlreadyRegistered,
  RegistrationLimitExceeded,
  TooManyUpdates,
} from "../errors.ts";
import type { Page } from "../lib/page.ts";
import { conditionalDelete, conditionalUpdate, failedCondition } from "./dynamodb.ts";
import { batchGet, gsiPage, plain, TableStore, type TransactItem, transact } from "./items.ts";
import { EntityType, GSI1, keys } from "./keys.ts";

/** A node's item as every write that creates it puts it (registration; the bench's seeding). */
export function nodeItem(scope: Scope, node: NodeRecord): Record<string, unknown> {
  return {
    ...keys.node(scope, node.InstanceId),
    ...keys.nodeListing(scope, node.InstanceId),
    Type: EntityType.Node,
    ...node,
  };
}

/** A node's NodeTag item for one of its tags (the node tag index). */
export function nodeTagItem(scope: Scope, instanceId: string, tag: Tag): Record<string, unknown> {
  const key = tag.Key ?? "";
  const value = tag.Value ?? "";
  return {
    ...keys.nodeTag(scope, key, instanceId),
    ...keys.nodeTagListing(scope, key, value, instanceId),
    Type: EntityType.NodeTag,
    InstanceId: instanceId,
    TagKey: key,
    TagValue: value,
  };
}

/** The index writes that take a node's tags from `before` to `after`: a put per new or changed tag, a delete per removed key. */
function tagIndexWrites(table: string, scope: Scope, instanceId: string, before: Tag[], after: Tag[]): TransactItem[] {
  const old = new Map(before.map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
  const now = new Set(after.map((tag) => tag.Key ?? ""));
  return [
    ...after
      .filter((tag) => old.get(tag.Key ?? "") !== (tag.Value ?? ""))
      .map((tag): TransactItem => ({ Put: { TableName: table, Item: nodeTagItem(scope, instanceId, tag) } })),
    ...[...old.keys()]
      .filter((key) => !now.has(key))
      .map((key): TransactItem => ({ Delete: { TableName: table, Key: keys.nodeTag(scope, key, instanceId) } })),
  ];
}

export class DynamoNodeStore extends TableStore implements NodeStore {
  async putActivation(activation: ActivationRecord): Promise<void> {
    const scope = { accountId: activation.AccountId, region: activation.Region };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.activation(activation.ActivationId),
          ...keys.activationListing(scope, activation.ActivationId),
          Type: EntityType.Activation,
          ...activation,
        },
        ConditionExpression: "attribute_not_exists(PK)",
      }),
    );
  }

  async getActivation(activationId: string): Promise<ActivationRecord | undefined> {
    return this.record<ActivationRecord>(keys.activation(activationId));
  }

  async listActivations(scope: Scope, after: string | undefined, limit: number): Promise<Page<ActivationRecord>> {
    return gsiPage<ActivationRecord>(this.db, this.table, keys.activationListingPartition(scope), after, limit);
  }

  /** Deletes an activation of this account and region; nodes it registered stay registered. */
  async deleteActivation(scope: Scope, activationId: string): Promise<void> {
    await conditionalDelete(
      this.db,
      {
        TableName: this.table,
        Key: keys.activation(activationId),
        ConditionExpression: "AccountId = :account AND #region = :region",
        ExpressionAttributeNames: { "#region": "Region" },
        ExpressionAttributeValues: { ":account": scope.accountId, ":region": scope.region },
      },
      () => new InvalidActivationId(`Activation ID ${activationId} is not valid. Verify the ID and try again.`),
    );
  }

  async register(
    activation: ActivationRecord,
    codeHash: string,
    now: string,
    node: NodeRecord,
    identity: NodeIdentityRecord,
  ): Promise<void> {
    const scope = { accountId: activation.AccountId, region: activation.Region };
    try {
      await transact(this.db, [
        {
          Update: {
            TableName: this.table,
            Key: keys.activation(activation.ActivationId),
            UpdateExpression: "SET RegistrationsCount = RegistrationsCount + :one",
            ConditionExpression:
              "CodeHash = :code AND RegistrationsCount < RegistrationLimit AND ExpirationDate > :now",
            ExpressionAttributeValues: { ":one": 1, ":code": codeHash, ":now": now },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        {
          Put: { TableName: this.table, Item: nodeItem(scope, node), ConditionExpression: "attribute_not_exists(PK)" },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.nodeIdentity(node.InstanceId), Type: EntityType.NodeIdentity, ...identity },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        // Its tags in the index (at most 50: 53 items with the three above).
        ...tagIndexWrites(this.table, scope, node.InstanceId, [], node.Tags),
      ]);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index !== 0) throw failed ? new TooManyUpdates("Instance id collision; try again.") : error;
      const old = failed.old;
      if (!old || old.CodeHash !== codeHash) throw invalidActivation();
      if (String(old.ExpirationDate) <= now) {
        throw new ActivationExpired(`Activation ${activation.ActivationId} has expired.`);
      }
      throw new RegistrationLimitExceeded(
        `Activation ${activation.ActivationId} has reached its registration limit of ${old.RegistrationLimit}.`,
      );
    }
  }

  async getNode(scope: Scope, instanceId: string): Promise<NodeRecord | undefined> {
    return this.record<NodeRecord>(keys.node(scope, instanceId));
  }

  /** Several nodes in one call (BatchGetItem, joined by the request's other reads: items.ts batchGet). */
  async getNodes(scope: Scope, instanceIds: string[]): Promise<NodeRecord[]> {
    const found = await batchGet(
      this.db,
      this.table,
      [...new Set(instanceIds)].map((id) => keys.node(scope, id)),
    );
    return found.map((item) => plain<NodeRecord>(item));
  }

  async getIdentity(instanceId: string): Promise<NodeIdentityRecord | undefined> {
    return this.record<NodeIdentityRecord>(keys.nodeIdentity(instanceId));
  }

  async setPublicKey(instanceId: string, publicKey: string, publicKeyType: "Rsa"): Promise<void> {
    await conditionalUpdate(
      this.db,
      {
        TableName: this.table,
        Key: keys.nodeIdentity(instanceId),
        UpdateExpression: "SET PublicKey = :key, PublicKeyType = :type",
        ConditionExpression: "attribute_exists(PK) AND PublicKey <> :key",
        ExpressionAttributeValues: { ":key": publicKey, ":type": publicKeyType },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
      (old) =>
        old
          ? new PublicKeyAlreadyRegistered("The public key is already registered for this managed node.")
          : nodeNotFound(instanceId),
    );
  }

  /**
   * Records a heartbeat. A registered node must exist; an EC2-style node is created by its first
   * heartbeat, as an EC2 instance with an instance profile becomes a managed node.
   */
  async heartbeat(scope: Scope, instanceId: string, beat: Heartbeat, createAsEc2: boolean): Promise<void> {
    const fields = Object.entries(beat).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = fields.map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    if (createAsEc2) {
      const listing = keys.nodeListing(scope, instanceId);
      Object.assign(names, { "#type": "Type", "#rt": "ResourceType", "#id": "InstanceId", "#tags": "Tags" });
      Object.assign(values, {
        ":type": EntityType.Node,
        ":rt": "EC2Instance",
        ":id": instanceId,
        ":registered": beat.LastPingDateTime,
        ":none": [],
        ":zero": 0,
        ":g1pk": listing.GSI1PK,
        ":g1sk": listing.GSI1SK,
      });
      sets.push(
        "#type = :type",
        "#rt = :rt",
        "#id = :id",
        "RegistrationDate = if_not_exists(RegistrationDate, :registered)",
        "#tags = if_not_exists(#tags, :none)",
        "Revision = if_not_exists(Revision, :zero)",
        "GSI1PK = :g1pk",
        "GSI1SK = :g1sk",
      );
    }
    await this.updateNode(scope, instanceId, {
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: createAsEc2 ? undefined : "attribute_exists(PK)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async listNodes(scope: Scope, after: string | undefined, limit: number): Promise<Page<NodeRecord>> {
    return gsiPage<NodeRecord>(this.db, this.table, keys.nodeListingPartition(scope), after, limit);
  }

  /**
   * The ids of the nodes with this tag key (`value` undefined: a `tag-key` target) or with this
   * key and value (a `tag:<key>` target), in id order, after `after`: one Query of the node tag
   * index a page. The value's listing is on GSI1, so it is as current as the node listing is.
   */
  async nodesTagged(
    scope: Scope,
    tag: { key: string; value?: string },
    after: string | undefined,
    limit: number,
  ): Promise<Page<string> & { last?: string }> {
    const byValue = tag.value !== undefined;
    const [pk, sk] = byValue ? ["GSI1PK", "GSI1SK"] : ["PK", "SK"];
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...(byValue ? { IndexName: GSI1 } : { ConsistentRead: true }),
        KeyConditionExpression: after ? `${pk} = :pk AND ${sk} > :after` : `${pk} = :pk`,
        // A partition key part longer than 512 characters is a hash (keys.ts), and a key with `=`
        // in it could read as another key and value: the tag itself says which items are this one.
        FilterExpression: byValue ? "TagKey = :key AND TagValue = :value" : "TagKey = :key",
        ProjectionExpression: "InstanceId",
        ExpressionAttributeValues: {
          ":pk": byValue
            ? keys.nodeTagValuePartition(scope, tag.key, tag.value as string)
            : keys.nodeTagPartition(scope, tag.key),
          ":key": tag.key,
          ...(byValue ? { ":value": tag.value } : {}),
          ...(after ? { ":after": after } : {}),
        },
        Limit: limit,
      }),
    );
    return {
      items: Items.map((item) => item.InstanceId as string),
      more: LastEvaluatedKey !== undefined,
      last: LastEvaluatedKey?.[sk] as string | undefined,
    };
  }

  /**
   * Removes a node and, for a registered one, the identity it signs with, and its tags from the
   * index: the node as read (its tags) on condition that it is still that revision.
   */
  async deregister(scope: Scope, instanceId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const node = await this.getNode(scope, instanceId);
      if (!node) throw nodeNotFound(instanceId);
      try {
        await transact(this.db, [
          {
            Delete: {
              TableName: this.table,
              Key: keys.node(scope, instanceId),
              ConditionExpression: "Revision = :revision",
              ExpressionAttributeValues: { ":revision": node.Revision },
            },
          },
          { Delete: { TableName: this.table, Key: keys.nodeIdentity(instanceId) } },
          ...tagIndexWrites(this.table, scope, instanceId, node.Tags, []),
        ]);
        return;
      } catch (error) {
        // Its tags changed (or it went) since the read: read it again.
        if (failedCondition(error)?.index !== 0 || attempt >= 5) throw error;
      }
    }
  }

  /**
   * The node's role, and its identity's in the same transaction: the sessions issued from then on
   * are named by the new role (their assumed-role ARN), as an instance's new role names them.
   */
  async setRole(scope: Scope, instanceId: string, iamRole: string): Promise<void> {
    try {
      await transact(this.db, [
        {
          Update: {
            TableName: this.table,
            Key: keys.node(scope, instanceId),
            UpdateExpression: "SET IamRole = :role, Revision = Revision + :one",
            ConditionExpression: "attribute_exists(PK) AND ResourceType = :managed",
            ExpressionAttributeValues: { ":role": iamRole, ":one": 1, ":managed": "ManagedInstance" },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.nodeIdentity(instanceId),
            UpdateExpression: "SET IamRole = :role",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":role": iamRole },
          },
        },
      ]);
    } catch (error) {
      if (failedCondition(error)) throw nodeNotFound(instanceId);
      throw error;
    }
  }

  /** One conditional update of a node's item: a failed condition means there is no such node (for this use). */
  private async updateNode(
    scope: Scope,
    instanceId: string,
    update: Omit<UpdateCommandInput, "TableName" | "Key">,
  ): Promise<void> {
    await conditionalUpdate(this.db, { TableName: this.table, Key: keys.node(scope, instanceId), ...update }, () =>
      nodeNotFound(instanceId),
    );
  }

  /**
   * Writes every node's tags into the node tag index (`npm run admin -- index-node-tags`, once,
   * for a table written before issue 30: its nodes' tags have no index items, and a later tag
   * change writes only what it changes). A Scan of the table, not a request path. Each node's
   * items go in a transaction checked on the revision read, read again when a tag write came
   * first; an item already there is written again as it is.
   */
  async indexAllTags(): Promise<{ nodes: number; tags: number }> {
    let start: Record<string, unknown> | undefined;
    const done = { nodes: 0, tags: 0 };
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: "#type = :node",
          ExpressionAttributeNames: { "#type": "Type" },
          ExpressionAttributeValues: { ":node": EntityType.Node },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const node = plain<NodeRecord>(item);
        done.nodes++;
        done.tags += await this.indexTags(keys.nodeScopeOf(String(item.PK)), node);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return done;
  }

  private async indexTags(scope: Scope, read: NodeRecord): Promise<number> {
    let node: NodeRecord | undefined = read;
    for (let attempt = 1; node && node.Tags.length > 0; attempt++) {
      try {
        await transact(this.db, [
          {
            ConditionCheck: {
              TableName: this.table,
              Key: keys.node(scope, node.InstanceId),
              ConditionExpression: "Revision = :revision",
              ExpressionAttributeValues: { ":revision": node.Revision },
            },
          },
          ...tagIndexWrites(this.table, scope, node.InstanceId, [], node.Tags),
        ]);
        return node.Tags.length;
      } catch (error) {
        if (failedCondition(error)?.index !== 0 || attempt >= 5) throw error;
        node = await this.getNode(scope, read.InstanceId);
      }
    }
    return 0;
  }

  /**
   * Replaces a node's tags on condition that it is still the revision read, and its index items
   * in the same transaction (a tag operation adds or removes at most 50: 51 items).
   */
  async putTags(scope: Scope, node: NodeRecord, tags: Tag[]): Promise<void> {
    try {
      await transact(this.db, [
        {
          Update: {
            TableName: this.table,
            Key: keys.node(scope, node.InstanceId),
            UpdateExpression: "SET Tags = :tags, Revision = Revision + :one",
            ConditionExpression: "Revision = :revision",
            ExpressionAttributeValues: { ":tags": tags, ":one": 1, ":revision": node.Revision },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        ...tagIndexWrites(this.table, scope, node.InstanceId, node.Tags, tags),
      ]);
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw failed.old ? nodeTooManyUpdates() : nodeNotFound(node.InstanceId);
      throw error;
    }
  }
}
