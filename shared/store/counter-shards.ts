/**
 * Counter shards: the counts that many nodes move at once (a run's targets by status, how many
 * run now, when the last one reported), kept in a few items of their own instead of one, and
 * summed on read. Issue 26: when every node's report moved one shared item, reports on one run
 * refused each other (TooManyUpdates), and on real DynamoDB one item takes about 1,000 writes a
 * second and concurrent transactions on it cancel each other (TransactionConflict).
 *
 * How a subject (a run) uses them:
 * - It has `shardCount` shards, fixed when it is planned, and each member (a target node) belongs
 *   to one: by its position among the members (`shardOfIndex`), so members spread evenly, or by
 *   its id (`shardOfId`) when it joins later. A member's report moves only its own shard.
 * - A rate control's limit (MaxConcurrency) is split between the shards (`shardCapacity`): a
 *   member starts only if its shard's running count is under the shard's share, by a condition on
 *   that shard (`ShardMove.below`). The shares add up to the limit, so the run never has more
 *   running than the limit, exactly; no item is read to decide it.
 * - With no more shards than the limit, each shard's share is 1: one member of a shard runs at a
 *   time, so the members that run at once never write the same shard, and never conflict.
 *   With more (a limit above MAX_SHARDS), a shard is shared by at most
 *   ceil(limit / MAX_SHARDS) running members.
 * - A reader sums the shards with the subject's own item (`sumShards`): at most MAX_SHARDS keys,
 *   one BatchGetItem with the subject's other reads.
 *
 * Counters are top-level number attributes (`n_<name>`), moved with ADD, so a shard needs no
 * write before its first move. A shard holds moves, not totals: its counters may be negative
 * (a member that leaves Pending moves Pending down in its own shard); only the sum means a count.
 */

import type { TransactItem } from "./items.ts";
import type { Key } from "./keys.ts";
import { EntityType } from "./keys.ts";

export { MAX_SHARDS, shardCapacity, shardCount, shardOfId, shardOfIndex } from "../lib/shards.ts";

export type ShardMove = {
  /** Counters to move, by name (a negative number moves one down). Zero moves are left out. */
  add: Record<string, number>;
  /** The newest report this shard has seen: its date and status. */
  latest?: { date: string; status: string };
  /** The date of a success to record as the shard's newest. */
  success?: string;
  /** Only while counter `counter` (its sum in this shard) is below `limit`: a rate control's slot. */
  below?: { counter: string; limit: number };
  /** Epoch seconds at which the shard expires with its subject (the table's TTL attribute). */
  expiresAt?: number;
};

const counterAttribute = (name: string) => `n_${name}`;
const COUNTER_PREFIX = "n_";

/** The update of one shard, for the caller's transaction. */
export function shardUpdate(table: string, key: Key, move: ShardMove): NonNullable<TransactItem["Update"]> {
  const names: Record<string, string> = { "#type": "Type" };
  const values: Record<string, unknown> = { ":type": EntityType.CounterShard };
  const adds: string[] = [];
  const sets = ["#type = :type"];
  for (const [name, delta] of Object.entries(move.add)) {
    if (delta === 0) continue;
    const i = adds.length;
    names[`#c${i}`] = counterAttribute(name);
    values[`:c${i}`] = delta;
    adds.push(`#c${i} :c${i}`);
  }
  if (move.latest) {
    sets.push("LatestDate = :latestDate", "LatestStatus = :latestStatus");
    values[":latestDate"] = move.latest.date;
    values[":latestStatus"] = move.latest.status;
  }
  if (move.success) {
    sets.push("LatestSuccess = :success");
    values[":success"] = move.success;
  }
  if (move.expiresAt !== undefined) {
    sets.push("ExpiresAt = :expiresAt");
    values[":expiresAt"] = move.expiresAt;
  }
  let condition: string | undefined;
  if (move.below) {
    names["#below"] = counterAttribute(move.below.counter);
    values[":limit"] = move.below.limit;
    condition = "attribute_not_exists(#below) OR #below < :limit";
  }
  return {
    TableName: table,
    Key: key,
    UpdateExpression: `SET ${sets.join(", ")}${adds.length > 0 ? ` ADD ${adds.join(", ")}` : ""}`,
    ...(condition ? { ConditionExpression: condition } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * A shard written whole with its first moves, for the write that creates its subject (a new
 * run's shards with its first wave released in the same transaction, execution-items.ts
 * `runPuts`): the same counters `shardUpdate` would leave from nothing.
 */
export function shardItem(key: Key, add: Record<string, number>, expiresAt?: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...key,
    Type: EntityType.CounterShard,
    ...(expiresAt !== undefined ? { ExpiresAt: expiresAt } : {}),
  };
  for (const [name, delta] of Object.entries(add)) if (delta !== 0) item[counterAttribute(name)] = delta;
  return item;
}

/** What a subject's shards say together. */
export type ShardTotals = {
  /** The counters' sums, by name (moves only: add them to the subject's own starting counts). */
  counts: Record<string, number>;
  /** The newest report of any shard. */
  latest?: { date: string; status: string };
  /** The newest success of any shard. */
  success?: string;
};

/** Sums shard items (any order; absent shards moved nothing). */
export function sumShards(items: readonly Record<string, unknown>[]): ShardTotals {
  const totals: ShardTotals = { counts: {} };
  for (const item of items) {
    for (const attribute in item) {
      if (!attribute.startsWith(COUNTER_PREFIX)) continue;
      const name = attribute.slice(COUNTER_PREFIX.length);
      totals.counts[name] = (totals.counts[name] ?? 0) + Number(item[attribute]);
    }
    const date = item.LatestDate as string | undefined;
    if (date && (!totals.latest || date > totals.latest.date)) {
      totals.latest = { date, status: item.LatestStatus as string };
    }
    const success = item.LatestSuccess as string | undefined;
    if (success && (!totals.success || success > totals.success)) totals.success = success;
  }
  return totals;
}
