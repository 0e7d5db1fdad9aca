/**
 * Parameters in the single table (layout in keys.ts). Invariants are conditions in the write
 * that needs them, never a read followed by a write:
 * - a name is unique: `attribute_not_exists` on the head, in the creating transaction;
 * - the per-account tier limits: counters taken (conditionally) in that same transaction,
 *   moved when an overwrite changes the tier, given back by the deleting transaction;
 * - overwrites, label moves, tag changes and deletes apply only to the head they read: the head's
 *   `Version`, `Revision` and `Generation` are compared in the write (else TooManyUpdates);
 * - the 101st version drops the oldest in the same transaction, provided it has no label
 *   (else ParameterMaxVersionLimitExceeded).
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { BatchGetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import {
  maxVersionLimitExceeded,
  parameterAlreadyExists,
  parameterLimitExceeded,
} from "../domain/parameters/errors.ts";
import type { ParameterRecord, ParameterVersionRecord, StoredTier } from "../domain/parameters/records.ts";
import {
  type Limits,
  type Page,
  type ParameterStore,
  type ReadResult,
  versionKey,
} from "../domain/parameters/store.ts";
import { TooManyUpdates } from "../errors.ts";
import { failedCondition, isConditionalCheckFailed, isTransactionConflict, retryOnConflict } from "./dynamodb.ts";
import {
  deleteItems,
  plain,
  queryPages,
  releaseSlot,
  TableStore,
  type TransactItem,
  takeSlot,
  transact,
} from "./items.ts";
import { EntityType, GSI1, keys, MAX_VERSION_NUMBER } from "./keys.ts";

const counterOf = (tier: StoredTier) => (tier === "Standard" ? "StandardParameters" : "AdvancedParameters");
const tooManyUpdates = () => new TooManyUpdates("Too many updates to the parameter. Try again later.");

/**
 * The table's `Type` attribute names the entity, so a parameter's type is kept as
 * `ParameterType` and renamed on the way in and out.
 */
function toAttributes<T extends { Type: string }>(record: T): Record<string, unknown> {
  const { Type, ...rest } = record;
  return { ...rest, ParameterType: Type };
}
function fromItem<T>(item: Record<string, unknown>): T {
  const { ParameterType, ...rest } = plain<Record<string, unknown>>(item);
  return { ...rest, Type: ParameterType } as T;
}

export class DynamoParameterStore extends TableStore implements ParameterStore {
  /** One GetItem, strongly consistent. */
  async get(scope: Scope, name: string): Promise<ParameterRecord | undefined> {
    const { heads } = await this.read(scope, [name], []);
    return heads.get(name);
  }

  /** One BatchGetItem (retrying unprocessed keys), strongly consistent. */
  async read(
    scope: Scope,
    heads: readonly string[],
    versions: readonly { name: string; version: number }[],
  ): Promise<ReadResult> {
    const result: ReadResult = { heads: new Map(), versions: new Map() };
    const wanted = new Map<string, Record<string, unknown>>();
    for (const name of heads) wanted.set(`H#${name}`, keys.parameter(scope, name));
    for (const { name, version } of versions)
      wanted.set(`V#${name}#${version}`, keys.parameterVersion(scope, name, version));
    let pending = [...wanted.values()];
    while (pending.length > 0) {
      const answer = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending.slice(0, 100), ConsistentRead: true } } }),
      );
      for (const item of answer.Responses?.[this.table] ?? []) {
        if (item.Type === EntityType.Parameter) {
          const head = fromItem<ParameterRecord>(item);
          result.heads.set(head.Name, head);
        } else {
          const version = fromItem<ParameterVersionRecord>(item);
          result.versions.set(versionKey(version.Name, version.Version), version);
        }
      }
      pending = [
        ...((answer.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? []),
        ...pending.slice(100),
      ];
    }
    return result;
  }

  /** One transaction: the head (new name), version 1, a slot of the tier's counter. */
  async create(scope: Scope, head: ParameterRecord, version: ParameterVersionRecord, limits: Limits): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, head),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      takeSlot(this.table, keys.counter(scope, counterOf(head.Tier)), limits[head.Tier]),
      // Unconditional: a slow delete of an earlier generation may not have removed it yet.
      { Put: { TableName: this.table, Item: this.versionItem(scope, version) } },
    ];
    try {
      // Every create updates the account's counter: retry the races that item causes.
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0) throw parameterAlreadyExists();
      if (failed?.index === 1) throw parameterLimitExceeded();
      if (isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /**
   * One transaction: the head, conditioned on the version and generation that were read; the
   * new version; the oldest version's delete, conditioned on having no label; and, when the
   * tier changes, a slot moved from one counter to the other.
   */
  async overwrite(
    scope: Scope,
    previous: ParameterRecord,
    head: ParameterRecord,
    version: ParameterVersionRecord,
    options: { dropOldest?: number; limits: Limits },
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.headItem(scope, head),
          ConditionExpression: "#version = :version AND #generation = :generation",
          ExpressionAttributeNames: { "#version": "Version", "#generation": "Generation" },
          ExpressionAttributeValues: { ":version": previous.Version, ":generation": previous.Generation },
        },
      },
      { Put: { TableName: this.table, Item: this.versionItem(scope, version) } },
    ];
    const dropIndex = items.length;
    if (options.dropOldest !== undefined) {
      items.push({
        Delete: {
          TableName: this.table,
          Key: keys.parameterVersion(scope, head.Name, options.dropOldest),
          ConditionExpression: "attribute_not_exists(#labels) OR size(#labels) = :zero",
          ExpressionAttributeNames: { "#labels": "Labels" },
          ExpressionAttributeValues: { ":zero": 0 },
        },
      });
    }
    const slotIndex = items.length;
    if (head.Tier !== previous.Tier) {
      items.push(
        takeSlot(this.table, keys.counter(scope, counterOf(head.Tier)), options.limits[head.Tier]),
        releaseSlot(this.table, keys.counter(scope, counterOf(previous.Tier))),
      );
    }
    try {
      await retryOnConflict(() => transact(this.db, items));
    } catch (error) {
      const failed = failedCondition(error);
      if (failed?.index === 0 || isTransactionConflict(error)) throw tooManyUpdates();
      if (failed && options.dropOldest !== undefined && failed.index === dropIndex) {
        throw maxVersionLimitExceeded(head.Name, options.dropOldest);
      }
      if (failed?.index === slotIndex) throw parameterLimitExceeded();
      throw error;
    }
  }

  /**
   * One transaction (the head, unchanged since read, and its slot), then one query and batch
   * deletes for the versions of that generation only (a parameter created again meanwhile keeps
   * its own).
   */
  async delete(scope: Scope, head: ParameterRecord): Promise<void> {
    try {
      await retryOnConflict(() =>
        transact(this.db, [
          {
            Delete: {
              TableName: this.table,
              Key: keys.parameter(scope, head.Name),
              ConditionExpression: "Revision = :revision AND #generation = :generation",
              ExpressionAttributeNames: { "#generation": "Generation" },
              ExpressionAttributeValues: { ":revision": head.Revision, ":generation": head.Generation },
            },
          },
          releaseSlot(this.table, keys.counter(scope, counterOf(head.Tier))),
        ]),
      );
    } catch (error) {
      if (failedCondition(error)?.index === 0 || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
    await this.deleteVersions(scope, head);
  }

  private async deleteVersions(scope: Scope, head: ParameterRecord): Promise<void> {
    for await (const items of queryPages(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :first AND :last",
      FilterExpression: "#generation = :generation",
      ExpressionAttributeNames: { "#generation": "Generation" },
      ExpressionAttributeValues: {
        ":pk": keys.parameterPartition(scope, head.Name),
        // Every version's sort key: zero-padded numbers, so the range of numbers is a range of keys.
        ":first": keys.parameterVersion(scope, head.Name, 1).SK,
        ":last": keys.parameterVersion(scope, head.Name, MAX_VERSION_NUMBER).SK,
        ":generation": head.Generation,
      },
      ProjectionExpression: "PK, SK",
      ConsistentRead: true,
    })) {
      await deleteItems(this.db, this.table, items);
    }
  }

  /**
   * One transaction: the head's label map (conditioned on its revision), the target version's
   * labels and those of each version a label moves away from.
   */
  async label(
    scope: Scope,
    head: ParameterRecord,
    target: { version: number; labels: string[] },
    moved: { version: number; labels: string[] }[],
  ): Promise<void> {
    const labels: Record<string, number> = { ...head.Labels };
    for (const label of target.labels) labels[label] = target.version;
    const versionUpdate = (version: number, versionLabels: string[]): TransactItem => ({
      Update: {
        TableName: this.table,
        Key: keys.parameterVersion(scope, head.Name, version),
        UpdateExpression: "SET #labels = :labels",
        ConditionExpression: "#generation = :generation",
        ExpressionAttributeNames: { "#labels": "Labels", "#generation": "Generation" },
        ExpressionAttributeValues: { ":labels": versionLabels, ":generation": head.Generation },
      },
    });
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.parameter(scope, head.Name),
          UpdateExpression: "SET #labels = :labels, Revision = Revision + :one",
          ConditionExpression: "Revision = :revision AND #generation = :generation",
          ExpressionAttributeNames: { "#labels": "Labels", "#generation": "Generation" },
          ExpressionAttributeValues: {
            ":labels": labels,
            ":one": 1,
            ":revision": head.Revision,
            ":generation": head.Generation,
          },
        },
      },
      versionUpdate(target.version, target.labels),
      ...moved.map((entry) => versionUpdate(entry.version, entry.labels)),
    ];
    try {
      await transact(this.db, items);
    } catch (error) {
      if (failedCondition(error) || isTransactionConflict(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /** One conditional update of the head. */
  async putTags(scope: Scope, head: ParameterRecord, tags: Tag[]): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.parameter(scope, head.Name),
          UpdateExpression: "SET #tags = :tags, Revision = Revision + :one",
          ConditionExpression: "Revision = :revision",
          ExpressionAttributeNames: { "#tags": "Tags" },
          ExpressionAttributeValues: { ":tags": tags, ":one": 1, ":revision": head.Revision },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw tooManyUpdates();
      throw error;
    }
  }

  /**
   * One GSI1 query: heads in name order under a prefix. Names use ASCII letters, digits and
   * `_.-/` only, so every name under `prefix` sorts between `prefix` and `prefix~`.
   */
  async list(scope: Scope, prefix: string, after: string | undefined, limit: number): Promise<Page<ParameterRecord>> {
    const values: Record<string, unknown> = { ":pk": keys.parameterListingPartition(scope) };
    let condition = "GSI1PK = :pk";
    if (prefix !== "") {
      // BETWEEN is inclusive: the name `after` itself comes back and is dropped below.
      condition += " AND GSI1SK BETWEEN :from AND :to";
      values[":from"] = after !== undefined && after > prefix ? after : prefix;
      values[":to"] = `${prefix}~`;
    } else if (after !== undefined) {
      condition += " AND GSI1SK > :after";
      values[":after"] = after;
    }
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        Limit: limit + 2,
      }),
    );
    const items = Items.map((item) => fromItem<ParameterRecord>(item)).filter((head) => head.Name !== after);
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  /** One query: the head's kept versions, oldest first. */
  async versions(
    scope: Scope,
    head: ParameterRecord,
    after: number | undefined,
    limit: number,
  ): Promise<Page<ParameterVersionRecord>> {
    const from = Math.max(head.OldestVersion, (after ?? 0) + 1);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        FilterExpression: "#generation = :generation",
        ExpressionAttributeNames: { "#generation": "Generation" },
        ExpressionAttributeValues: {
          ":pk": keys.parameterPartition(scope, head.Name),
          ":from": keys.parameterVersion(scope, head.Name, from).SK,
          ":to": keys.parameterVersion(scope, head.Name, head.Version).SK,
          ":generation": head.Generation,
        },
        Limit: limit + 1,
        ConsistentRead: true,
      }),
    );
    const items = Items.map((item) => fromItem<ParameterVersionRecord>(item));
    return { items: items.slice(0, limit), more: Items.length > limit };
  }

  private headItem(scope: Scope, head: ParameterRecord): Record<string, unknown> {
    return {
      ...keys.parameter(scope, head.Name),
      ...keys.parameterListing(scope, head.Name),
      Type: EntityType.Parameter,
      ...toAttributes(head),
    };
  }

  private versionItem(scope: Scope, version: ParameterVersionRecord): Record<string, unknown> {
    return {
      ...keys.parameterVersion(scope, version.Name, version.Version),
      Type: EntityType.ParameterVersion,
      ...toAttributes(version),
    };
  }
}
