/**
 * Run Command in the single table (keys.ts: a command and all it owns in one partition). What
 * keeps nodes that report at once from conflicting:
 *
 * - a node's reply writes its own invocation (on condition that it is in the state the reply
 *   read) and its own counter shard (`countMove`, the shared counter module counter-shards.ts;
 *   the shard by the invocation's place, so invocations running at once never share one while
 *   MaxConcurrency is at most 32), in one transaction; a lost race on a shared item is retried
 *   inside the service (a transaction conflict is never a refused reply);
 * - MaxConcurrency is slot chains: invocation i hands its slot to invocation i + MaxConcurrency
 *   when it ends (`release`), so no slot counter exists at all;
 * - MaxErrors is exact through gates: an error counts on every gate in its own transaction, and a
 *   release checks its chain's gate in the release's transaction, so a release either committed
 *   before the error that exceeded MaxErrors or sees it.
 *
 * `countMove` and `counts` are the only code here that knows how counts are kept.
 */
import { BatchWriteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type {
  CommandCounts,
  CommandRecord,
  InvocationRecord,
  InvocationState,
  NewCommand,
  PluginOutputRecord,
} from "../domain/commands/records.ts";
import type { CommandIdRange, CommandStore, InvocationFields } from "../domain/commands/store.ts";
import type { Page } from "../lib/page.ts";
import { historyExpiresAt } from "../lib/retention.ts";
import { retry } from "../lib/retry.ts";
import { MAX_SHARDS, shardUpdate, sumShards } from "./counter-shards.ts";
import { conditionalPut, failedCondition, isConditionalCheckFailed, isTransactionConflict } from "./dynamodb.ts";
import { batchGet, getRecord, plain, TableStore, type TransactItem, transact } from "./items.ts";
import { EntityType, GSI1, GSI2, type Key, keys } from "./keys.ts";

type CountedInvocation = Pick<InvocationRecord, "CommandId" | "InstanceId" | "State" | "Shard">;
type CountedCommand = { CommandId: string; Shards?: number };

/** Epoch seconds at which a command's items expire (DynamoDB TTL): 30 days after its request time (lib/retention.ts). */
export const commandExpiresAt = historyExpiresAt;

/** The agent's plugin statuses that end a plugin (agent/contracts/model.go ResultStatus). */
const FINAL_PLUGIN_STATUSES = ["Success", "Failed", "TimedOut", "Cancelled", "Skipped"];

/** The attribute a state is counted in on the base count item (counter-shards.ts names its counters so). */
const countAttribute = (state: InvocationState) => `n_${state}`;

/** A lost race on a shared item (a counter shard, a gate) is tried again here, never handed to the agent. */
const retryConflicts = <T>(run: () => Promise<T>) =>
  retry(run, (error) => isTransactionConflict(error) && !failedCondition(error), 12);

/**
 * A new command's items: what it owns (its payload, the base of its counts, its gates, an
 * invocation per node) and its head, which lists and names it: until the head is written,
 * nothing reaches the rest (a node's listing of its invocations drops a command without a head,
 * domain/commands/commands.ts). SendCommand writes the head after the rest; a pushed association
 * run writes them with the run (execution-items.ts `runPuts`).
 */
export function commandItems(
  scope: Scope,
  { command, payload, invocations }: NewCommand,
): { owned: Record<string, unknown>[]; head: Record<string, unknown> } {
  const id = command.CommandId;
  const ttl = commandExpiresAt(id);
  return {
    owned: [
      { ...keys.commandPayload(scope, id), Type: EntityType.CommandPayload, Payload: payload, ExpiresAt: ttl },
      {
        ...keys.commandCountBase(scope, id),
        Type: EntityType.CommandCount,
        [countAttribute("Pending")]: invocations.length,
        ExpiresAt: ttl,
      },
      ...Array.from({ length: command.Gates }, (_, gate) => ({
        ...keys.commandGate(scope, id, gate),
        Type: EntityType.CommandGate,
        Errors: 0,
        ExpiresAt: ttl,
      })),
      ...invocations.map((invocation) => ({
        ...keys.invocation(scope, id, invocation.InstanceId),
        ...keys.nodeCommandListing(scope, invocation.InstanceId, id),
        Type: EntityType.Invocation,
        ...invocation,
        ExpiresAt: ttl,
      })),
    ],
    head: {
      ...keys.command(scope, id),
      ...keys.commandListing(scope, id),
      ...(invocations.length > 0 ? keys.commandDueEntry(scope, id, command.DeliveryDeadline) : {}),
      Type: EntityType.Command,
      ...command,
      ExpiresAt: ttl,
    },
  };
}

export class DynamoCommandStore extends TableStore implements CommandStore {
  /**
   * One invocation's count moves from one state to another, on its own shard (counter-shards.ts,
   * the counter module many nodes' reports share): the one place that writes counts, with
   * `counts`, the one place that reads them.
   */
  private countMove(scope: Scope, from: CountedInvocation, to: InvocationState): TransactItem {
    return {
      Update: shardUpdate(this.table, keys.commandCountShard(scope, from.CommandId, from.Shard), {
        add: { [from.State]: -1, [to]: 1 },
        expiresAt: commandExpiresAt(from.CommandId),
      }),
    };
  }

  /**
   * Each command's invocations by state: its base (every invocation Pending) plus its shards'
   * moves, summed (`sumShards`). A command whose shard count is known reads only those shards;
   * one named by id alone reads every possible shard (MAX_SHARDS), in the same batch as its head.
   */
  async counts(scope: Scope, commands: readonly CountedCommand[]): Promise<Map<string, CommandCounts>> {
    const wanted: Key[] = commands.flatMap(({ CommandId: id, Shards: shards }) => [
      keys.commandCountBase(scope, id),
      ...Array.from({ length: shards ?? MAX_SHARDS }, (_, shard) => keys.commandCountShard(scope, id, shard)),
    ]);
    const found = await batchGet(this.db, this.table, wanted);
    const byCommand = new Map<string, Record<string, unknown>[]>();
    for (const item of found) {
      const id = commands.find(({ CommandId }) => keys.commandPartition(scope, CommandId) === item.PK)?.CommandId;
      if (id) byCommand.set(id, [...(byCommand.get(id) ?? []), item]);
    }
    return new Map(
      commands.map(({ CommandId: id }) => [id, sumShards(byCommand.get(id) ?? []).counts as CommandCounts]),
    );
  }

  async create(scope: Scope, command: NewCommand): Promise<void> {
    const { owned, head } = commandItems(scope, command);
    // The head goes last: until it is written, nothing lists or names the command.
    await this.putAll(owned);
    await conditionalPut(
      this.db,
      { TableName: this.table, Item: head, ConditionExpression: "attribute_not_exists(PK)" },
      () => new Error(`command id ${command.command.CommandId} is taken`),
    );
  }

  private async putAll(items: Record<string, unknown>[]): Promise<void> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await Promise.all(
      chunks.map(async (chunk) => {
        let requests: Record<string, unknown>[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (requests && requests.length > 0) {
          const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
          requests = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
        }
      }),
    );
  }

  /** A batched read: started with other reads of the same turn (its counts), it goes with them. */
  async get(scope: Scope, commandId: string): Promise<CommandRecord | undefined> {
    const [item] = await batchGet(this.db, this.table, [keys.command(scope, commandId)]);
    return plain<CommandRecord>(item);
  }

  async getMany(scope: Scope, commandIds: readonly string[]): Promise<CommandRecord[]> {
    const found = await batchGet(
      this.db,
      this.table,
      [...new Set(commandIds)].map((id) => keys.command(scope, id)),
    );
    return found.map((item) => plain<CommandRecord>(item));
  }

  async list(
    scope: Scope,
    range: CommandIdRange,
    before: string | undefined,
    limit: number,
  ): Promise<Page<CommandRecord>> {
    const page = await this.newestFirst(keys.commandListingPartition(scope), range, before, limit);
    return { items: page.items.map((item) => plain<CommandRecord>(item)), more: page.more };
  }

  async listOfNode(
    scope: Scope,
    instanceId: string,
    range: CommandIdRange,
    before: string | undefined,
    limit: number,
  ): Promise<Page<string>> {
    const page = await this.newestFirst(keys.nodeCommandListingPartition(scope, instanceId), range, before, limit);
    return { items: page.items.map((item) => item.GSI1SK as string), more: page.more };
  }

  /** A GSI1 partition read backwards (newest id first), below `before` and the range's high, at or above its low. */
  private async newestFirst(partition: string, range: CommandIdRange, before: string | undefined, limit: number) {
    const high = before !== undefined && (range.high === undefined || before < range.high) ? before : range.high;
    const values: Record<string, unknown> = { ":pk": partition };
    let condition = "GSI1PK = :pk";
    if (high !== undefined && range.low !== undefined) {
      condition += " AND GSI1SK BETWEEN :low AND :high";
      Object.assign(values, { ":low": range.low, ":high": high });
    } else if (high !== undefined) {
      condition += " AND GSI1SK < :high";
      values[":high"] = high;
    } else if (range.low !== undefined) {
      condition += " AND GSI1SK >= :low";
      values[":low"] = range.low;
    }
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        // One more than asked for (and one for a BETWEEN's inclusive high) tells whether more exist.
        Limit: limit + 2,
      }),
    );
    const items = Items.filter((item) => high === undefined || (item.GSI1SK as string) < high);
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  async payload(scope: Scope, commandId: string): Promise<string | undefined> {
    return (await getRecord<{ Payload: string }>(this.db, this.table, keys.commandPayload(scope, commandId)))?.Payload;
  }

  invocation(scope: Scope, commandId: string, instanceId: string): Promise<InvocationRecord | undefined> {
    return this.record<InvocationRecord>(keys.invocation(scope, commandId, instanceId));
  }

  async commandAndInvocation(
    scope: Scope,
    commandId: string,
    instanceId: string,
  ): Promise<{ command?: CommandRecord; invocation?: InvocationRecord }> {
    const head = keys.command(scope, commandId);
    const found = await batchGet(this.db, this.table, [head, keys.invocation(scope, commandId, instanceId)]);
    const command = found.find((item) => item.SK === head.SK);
    const invocation = found.find((item) => item.SK !== head.SK);
    return { command: plain<CommandRecord>(command), invocation: plain<InvocationRecord>(invocation) };
  }

  async invocations(
    scope: Scope,
    commandId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<InvocationRecord>> {
    const prefix = keys.invocationPrefix();
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
        ExpressionAttributeValues: {
          ":pk": keys.commandPartition(scope, commandId),
          // Just above `after`'s key (no key lies between a string and itself plus "\u0000").
          ":low": after === undefined ? prefix : `${keys.invocationSortKey(after)}\u0000`,
          ":high": `${prefix}\uffff`,
        },
        ConsistentRead: true,
        Limit: limit + 1,
      }),
    );
    return { items: Items.slice(0, limit).map((item) => plain<InvocationRecord>(item)), more: Items.length > limit };
  }

  async outputs(scope: Scope, commandId: string, instanceIds: readonly string[]): Promise<PluginOutputRecord[]> {
    if (instanceIds.length === 0) return [];
    const sorted = [...instanceIds].sort();
    const wanted = new Set(sorted);
    const found: PluginOutputRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
          ExpressionAttributeValues: {
            ":pk": keys.commandPartition(scope, commandId),
            ":low": keys.invocationOutputPrefix(sorted[0] as string),
            ":high": `${keys.invocationOutputPrefix(sorted.at(-1) as string)}\uffff`,
          },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const output = plain<PluginOutputRecord>(item);
        if (wanted.has(output.InstanceId)) found.push(output);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async transition(
    scope: Scope,
    from: Pick<InvocationRecord, "CommandId" | "InstanceId" | "State" | "Released" | "Shard">,
    to: InvocationState,
    fields: InvocationFields = {},
    errorGates = 0,
  ): Promise<boolean> {
    const names: Record<string, string> = { "#state": "State" };
    const values: Record<string, unknown> = { ":to": to, ":from": from.State, ":released": from.Released };
    const sets = ["#state = :to"];
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.invocation(scope, from.CommandId, from.InstanceId),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "#state = :from AND Released = :released",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
    if (from.State !== to) items.push(this.countMove(scope, from, to));
    for (let gate = 0; gate < errorGates; gate++) {
      items.push({
        Update: {
          TableName: this.table,
          Key: keys.commandGate(scope, from.CommandId, gate),
          UpdateExpression: "ADD Errors :one",
          ExpressionAttributeValues: { ":one": 1 },
        },
      });
    }
    try {
      await retryConflicts(() => transact(this.db, items));
      return true;
    } catch (error) {
      if (failedCondition(error)?.index === 0) return false;
      throw error;
    }
  }

  async recordOutput(scope: Scope, output: PluginOutputRecord): Promise<void> {
    const final = FINAL_PLUGIN_STATUSES.includes(output.Status);
    const members = Object.entries(output).filter(([, value]) => value !== undefined);
    const finals = Object.fromEntries(FINAL_PLUGIN_STATUSES.map((status, i) => [`:final${i}`, status]));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.invocationOutput(scope, output.CommandId, output.InstanceId, output.PluginId),
          UpdateExpression: `SET #type = :type, ExpiresAt = :ttl, ${members.map(([name]) => `#${name} = :${name}`).join(", ")}`,
          // A report that is not final never replaces one that is (a late intermediate reply).
          ...(final
            ? {}
            : {
                ConditionExpression: `attribute_not_exists(#Status) OR NOT (#Status IN (${Object.keys(finals).join(", ")}))`,
              }),
          ExpressionAttributeNames: {
            "#type": "Type",
            "#Status": "Status",
            ...Object.fromEntries(members.map(([name]) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ":type": EntityType.InvocationOutput,
            ":ttl": commandExpiresAt(output.CommandId),
            ...Object.fromEntries(members.map(([name, value]) => [`:${name}`, value])),
            ...(final ? {} : finals),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async release(
    scope: Scope,
    next: { commandId: string; instanceId: string; gate?: number; errorLimit: number },
    now: Date,
  ): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.invocation(scope, next.commandId, next.instanceId),
          UpdateExpression: "SET Released = :true",
          ConditionExpression: "#state = :pending AND Released = :false AND DeliveryDeadline > :now",
          ExpressionAttributeNames: { "#state": "State" },
          ExpressionAttributeValues: {
            ":true": true,
            ":false": false,
            ":pending": "Pending",
            ":now": now.toISOString(),
          },
        },
      },
    ];
    if (next.gate !== undefined) {
      items.push({
        ConditionCheck: {
          TableName: this.table,
          Key: keys.commandGate(scope, next.commandId, next.gate),
          ConditionExpression: "Errors <= :limit",
          ExpressionAttributeValues: { ":limit": next.errorLimit },
        },
      });
    }
    try {
      await retryConflicts(() => transact(this.db, items));
      return true;
    } catch (error) {
      if (failedCondition(error)) return false;
      throw error;
    }
  }

  async errors(scope: Scope, commandId: string): Promise<number> {
    return (
      (await getRecord<{ Errors: number }>(this.db, this.table, keys.commandGate(scope, commandId, 0)))?.Errors ?? 0
    );
  }

  async requestCancel(scope: Scope, commandId: string): Promise<CommandRecord | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.command(scope, commandId),
          UpdateExpression: "SET CancelRequested = :true",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":true": true },
          ReturnValues: "ALL_NEW",
        }),
      );
      return plain<CommandRecord>(Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async due(now: Date, limit: number): Promise<{ scope: Scope; commandId: string }[]> {
    const pages = await Promise.all(
      keys.commandDuePartitions().map((partition) =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: GSI2,
            KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :due",
            ExpressionAttributeValues: { ":pk": partition, ":due": `${now.toISOString()}~` },
            ProjectionExpression: "GSI2SK",
            Limit: limit,
          }),
        ),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []).map((item) => keys.commandDueEntryOf(item.GSI2SK as string)));
  }

  async setDeadline(scope: Scope, commandId: string, deadline: string | undefined): Promise<void> {
    const entry = deadline ? keys.commandDueEntry(scope, commandId, deadline) : undefined;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.command(scope, commandId),
        ...(entry
          ? {
              UpdateExpression: "SET GSI2PK = :pk, GSI2SK = :sk",
              ExpressionAttributeValues: { ":pk": entry.GSI2PK, ":sk": entry.GSI2SK },
            }
          : { UpdateExpression: "REMOVE GSI2PK, GSI2SK" }),
        ConditionExpression: "attribute_exists(PK)",
      }),
    );
  }
}
