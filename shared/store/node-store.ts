/**
 * Activations and managed nodes in the single table.
 *
 * Registration is one transaction: the activation's count goes up only if the code matches, the
 * activation has not expired and is below its limit, and only together with the node's creation
 * and its identity's; so the limit holds however many agents register at once.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { PutCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
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
import { batchGet, gsiPage, plain, TableStore, transact, writeTags } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

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
          Put: {
            TableName: this.table,
            Item: {
              ...keys.node(scope, node.InstanceId),
              ...keys.nodeListing(scope, node.InstanceId),
              Type: EntityType.Node,
              ...node,
            },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.nodeIdentity(node.InstanceId), Type: EntityType.NodeIdentity, ...identity },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
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

  /** Removes a node and, for a registered one, the identity it signs with. */
  async deregister(scope: Scope, instanceId: string): Promise<void> {
    try {
      await transact(this.db, [
        {
          Delete: {
            TableName: this.table,
            Key: keys.node(scope, instanceId),
            ConditionExpression: "attribute_exists(PK)",
          },
        },
        { Delete: { TableName: this.table, Key: keys.nodeIdentity(instanceId) } },
      ]);
    } catch (error) {
      if (failedCondition(error)?.index === 0) throw nodeNotFound(instanceId);
      throw error;
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

  async putTags(scope: Scope, node: NodeRecord, tags: Tag[]): Promise<void> {
    const head = { key: keys.node(scope, node.InstanceId), revision: node.Revision };
    await writeTags(this.db, this.table, head, tags, (old) =>
      old ? nodeTooManyUpdates() : nodeNotFound(node.InstanceId),
    );
  }
}
