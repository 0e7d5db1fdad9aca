/**
 * The items of association runs, shared by the stores that write them: the execution store
 * (StartAssociationsOnce, the scheduler), the association store (a run published with a create
 * or an update) and the status reports (a node's report lands on its run's target).
 *
 * Big fleets: a transaction holds at most 100 items and 4 MB, and an item at most 400 KB. An
 * execution item holds counters only, so it never grows with the fleet. What a new run writes
 * goes into the publishing transaction while it fits (`runPuts`); the rest is written in batches
 * *before* it (`writeEarly`), and deleted again if it fails (`deleteEarly`). That stays consistent
 * because nothing written early is reachable until the transaction commits:
 * - the run's targets and counter shards only through its execution item and the head's
 *   CurrentExecutionId, both written by the transaction;
 * - a pushed run's command (issue 28: payload, counts, invocations) only through its head, which
 *   always goes in the transaction (command-store.ts `commandItems`: a node's listing of its
 *   invocations drops a command without a head);
 * - a pushed run's first-wave messages are in their nodes' queues, but every hand-out of a run's
 *   message is a transaction that checks the run's item (message-queue-store.ts `claim`:
 *   `Errors <= MaxErrors`, false while the item does not exist), and the poll path's claim
 *   (execution-store.ts `claimPolled`) reaches a message only through its target: none is handed
 *   out before the commit, and after it each has its released target, its invocation and its
 *   payload.
 * A crash between the two (or in the cleanup of a failed transaction) leaves only unreachable
 * items: a run's command items expire with their TTL (30 days); its messages are never handed
 * out, and GetMessages drops them at their DeliverBy (two days at most; until then each poll of
 * that node tries one refused claim on each).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type {
  ExecutionRecord,
  ExecutionTargetRecord,
  PlannedExecution,
  RunReport,
  TargetReport,
} from "../domain/executions/records.ts";
import { ERROR_STATUSES, FINAL_STATUSES } from "../domain/executions/records.ts";
import { historyExpiresAt } from "../lib/retention.ts";
import { commandItems } from "./command-store.ts";
import { shardItem, shardUpdate, sumShards } from "./counter-shards.ts";
import type { TransactItem } from "./items.ts";
import { EntityType, keys } from "./keys.ts";
import { queuedMessageItem } from "./message-queue-store.ts";

/** DynamoDB's limits on one transaction: 100 items, 4 MB. */
export const MAX_TRANSACTION_ITEMS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * What a value weighs in a request, over-estimated by its JSON: DynamoDB counts an item's
 * attribute names and values; JSON adds quotes and punctuation (and a transaction item its
 * table name and expressions), never less.
 */
export const approximateBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** What is left of a transaction that holds `items` (and `reserved` items more to come). */
export type Room = { items: number; bytes: number };
export const roomLeft = (items: readonly TransactItem[], reserved = 0): Room => ({
  items: MAX_TRANSACTION_ITEMS - items.length - reserved,
  bytes: MAX_TRANSACTION_BYTES - approximateBytes(items),
});

/** The items a new run always puts in its publishing transaction: its execution, and a pushed run's command head. */
export const runItemsInTransaction = (planned: PlannedExecution | undefined): number =>
  planned ? 1 + (planned.push ? 1 : 0) : 0;

/** Epoch seconds at which a run's items (the run, its targets, its counter shards) expire: lib/retention.ts. */
export const runExpiresAt = historyExpiresAt;

export function executionItem(scope: Scope, execution: ExecutionRecord): Record<string, unknown> {
  return {
    ...keys.execution(scope, execution.AssociationId, execution.ExecutionId),
    Type: EntityType.AssociationExecution,
    ...execution,
    ExpiresAt: runExpiresAt(execution.ExecutionId),
  };
}

export function targetItem(scope: Scope, target: ExecutionTargetRecord): Record<string, unknown> {
  return {
    ...keys.executionTarget(scope, target.ExecutionId, target.ResourceId),
    Type: EntityType.ExecutionTarget,
    ...target,
    ExpiresAt: runExpiresAt(target.ExecutionId),
  };
}

/**
 * The items of a new run besides its execution: its targets; for a pushed run (issue 28) the
 * counter shards of its first wave, released as it is written (their targets are planned
 * `Released`: each shard counts them as running, `Waiting -k, Active +k`, the moves their
 * releases would make, so later releases in the shard see them under its share of
 * MaxConcurrency), its command (payload, counts, invocations; the head apart) and the first
 * wave's messages.
 */
function runOwnedItems(scope: Scope, planned: PlannedExecution): Record<string, unknown>[] {
  const items = planned.targets.map((target) => targetItem(scope, target));
  const push = planned.push;
  if (!push) return items;
  const released = new Map<number, number>();
  for (const target of planned.targets) {
    if (target.Released && target.Shard !== undefined)
      released.set(target.Shard, (released.get(target.Shard) ?? 0) + 1);
  }
  for (const [shard, count] of released) {
    items.push(
      shardItem(
        shardKey(scope, { ExecutionId: planned.execution.ExecutionId, Shard: shard }),
        { [RunCounter.Waiting]: -count, [RunCounter.Active]: count },
        runExpiresAt(planned.execution.ExecutionId),
      ),
    );
  }
  items.push(...commandItems(scope, push.command).owned);
  items.push(...push.messages.map((message) => queuedMessageItem(scope, message)));
  return items;
}

/**
 * The puts of a new run in its publishing transaction, which has `room` left: always the
 * execution (and a pushed run's command head: `runItemsInTransaction`), then as many of the
 * run's other items as fit; the rest comes back in `early`, to be written before it (this
 * file's header says why that is safe). A run over a few nodes fits whole: one round trip.
 */
export function runPuts(
  table: string,
  scope: Scope,
  planned: PlannedExecution,
  room: Room,
): { puts: TransactItem[]; early: Record<string, unknown>[] } {
  const puts: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: executionItem(scope, planned.execution),
        ConditionExpression: "attribute_not_exists(PK)",
      },
    },
  ];
  if (planned.push) {
    puts.push({
      Put: {
        TableName: table,
        Item: commandItems(scope, planned.push.command).head,
        ConditionExpression: "attribute_not_exists(PK)",
      },
    });
  }
  let items = room.items - puts.length;
  let bytes = room.bytes - approximateBytes(puts);
  const early: Record<string, unknown>[] = [];
  for (const Item of runOwnedItems(scope, planned)) {
    const put: TransactItem = { Put: { TableName: table, Item } };
    const weight = approximateBytes(put);
    if (items > 0 && weight <= bytes) {
      puts.push(put);
      items -= 1;
      bytes -= weight;
    } else early.push(Item);
  }
  return { puts, early };
}

/** Everything a new run writes (`runPuts` with all the room it wants): how many items, how many bytes. */
export function runSize(scope: Scope, planned: PlannedExecution): Room {
  const { puts } = runPuts("", scope, planned, { items: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY });
  return { items: puts.length, bytes: approximateBytes(puts) };
}

/** BatchWriteItem requests (25 items each) in flight at once. */
const BATCHES_IN_FLIGHT = 8;

/** Batched writes, BATCHES_IN_FLIGHT requests at once (what does not fit a transaction: one round trip for up to 200 items). */
async function batchWrite(db: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  const write = async (batch: Record<string, unknown>[]) => {
    let pending: Record<string, unknown>[] | undefined = batch;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  };
  for (let i = 0; i < batches.length; i += BATCHES_IN_FLIGHT) {
    await Promise.all(batches.slice(i, i + BATCHES_IN_FLIGHT).map(write));
  }
}

export const writeEarly = (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) =>
  batchWrite(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

export const deleteEarly = (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) =>
  batchWrite(
    db,
    table,
    items.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
  );

const isActive = (target: ExecutionTargetRecord) => target.Released && !FINAL_STATUSES.has(target.Status);

/** A run's counters in its shards (counter-shards.ts): its targets by status, and the three below. */
const statusCounter = (status: string) => `s:${status}`;
const STATUS_COUNTER = "s:";
export const RunCounter = {
  /** Targets not yet told to run. */
  Waiting: "Waiting",
  /** Targets told to run that have not reported a final status: what MaxConcurrency bounds. */
  Active: "Active",
  /** Targets that joined the run after it was planned. */
  Targets: "Targets",
} as const;

/** A target's shard of its run. */
export const shardKey = (scope: Scope, target: Pick<ExecutionTargetRecord, "ExecutionId" | "Shard">) =>
  keys.executionShard(scope, target.ExecutionId, target.Shard ?? 0);

/** Every shard of a run. */
export const shardKeys = (scope: Scope, executionId: string, shards: number) =>
  Array.from({ length: shards }, (_, shard) => keys.executionShard(scope, executionId, shard));

/**
 * A run as a reader sees it: its own item (the plan's counts, and Errors) summed with its
 * shards' moves. A run written before issue 26 (no Shards) has all its counts on its item.
 */
export function withShards(
  execution: ExecutionRecord,
  shardItems: readonly Record<string, unknown>[],
): ExecutionRecord {
  if (!execution.Shards) return execution;
  const totals = sumShards(shardItems);
  const counts = { ...execution.Counts };
  for (const [name, moved] of Object.entries(totals.counts)) {
    if (!name.startsWith(STATUS_COUNTER)) continue;
    const status = name.slice(STATUS_COUNTER.length);
    counts[status] = (counts[status] ?? 0) + moved;
  }
  const latest = totals.latest;
  return {
    ...execution,
    Counts: counts,
    Waiting: execution.Waiting + (totals.counts[RunCounter.Waiting] ?? 0),
    Active: execution.Active + (totals.counts[RunCounter.Active] ?? 0),
    TargetCount: execution.TargetCount + (totals.counts[RunCounter.Targets] ?? 0),
    ...(latest && !(execution.LastExecutionDate && execution.LastExecutionDate > latest.date)
      ? { LastExecutionDate: latest.date, LatestStatus: latest.status }
      : {}),
    ...(totals.success ? { LastSuccessDate: totals.success } : {}),
  };
}

/**
 * A node's report on its run's target: the target put on condition that it is still as read (so
 * of two reports racing on one target exactly one lands, and the other is retried on fresh
 * reads), and the run's counters moved by the difference in the target's own shard only. A
 * report that adds an error also adds it to the run's own item, where MaxErrors is decided: the
 * release of a waiting target checks it there (execution-store.ts `release`), so no target is
 * started once Errors > MaxErrors, exactly, whatever the order of reports and releases. A report
 * that leaves a target waiting in a stopped run needs no write: readers show the waiting targets
 * of a stopped run as Skipped (domain/executions/views.ts).
 *
 * Nothing here reads or conditions on a count, so reports of different nodes never refuse each
 * other; the only items two nodes' reports can share are a shard with a share of MaxConcurrency
 * above 1 (counter-shards.ts) and, for two errors at once, the run's item: on real DynamoDB those
 * can meet as TransactionConflict, which the store retries (never a refusal).
 *
 * A run written before issue 26 (a target with no Shard) still moves the counters on the run's
 * own item.
 */
export function reportItems(
  table: string,
  scope: Scope,
  execution: ExecutionRecord | undefined,
  previous: ExecutionTargetRecord,
  next: ExecutionTargetRecord,
): TransactItem[] {
  const date = next.LastExecutionDate ?? execution?.CreatedTime ?? previous.LastExecutionDate;
  const add: Record<string, number> = {};
  if (previous.Status !== next.Status) {
    add[statusCounter(previous.Status)] = -1;
    add[statusCounter(next.Status)] = 1;
  }
  add[RunCounter.Waiting] = !previous.Released && next.Released ? -1 : 0;
  add[RunCounter.Active] = Number(isActive(next)) - Number(isActive(previous));
  const errorDelta = Number(ERROR_STATUSES.has(next.Status)) - Number(ERROR_STATUSES.has(previous.Status));
  const targetPut: TransactItem = { Put: reportTargetPut(table, scope, previous, next) };
  const runKey = keys.execution(scope, next.AssociationId, next.ExecutionId);
  if (previous.Shard === undefined)
    return [targetPut, { Update: unshardedRunUpdate(table, runKey, add, errorDelta, date) }];
  const items: TransactItem[] = [
    targetPut,
    {
      Update: shardUpdate(table, shardKey(scope, previous), {
        add,
        expiresAt: runExpiresAt(previous.ExecutionId),
        ...(date ? { latest: { date, status: next.Status } } : {}),
        ...(date && next.Status === "Success" ? { success: date } : {}),
      }),
    },
  ];
  if (errorDelta !== 0) {
    items.push({
      Update: {
        TableName: table,
        Key: runKey,
        UpdateExpression: "SET Errors = Errors + :errors",
        ConditionExpression: "attribute_exists(PK)",
        ExpressionAttributeValues: { ":errors": errorDelta },
      },
    });
  }
  return items;
}

/**
 * A report that moves no count: the same status again (the agent reports InProgress twice, the
 * second with its plugins' summary, and Pending on a target its poll already made Pending) on a
 * target already told to run, in a sharded run. `reportItems` would move nothing but the
 * target's date and the shard's latest date; the target's put alone, on the same condition, is
 * all it needs (the shard's latest date is the run's LastExecutionDate, which the status move
 * just before or after sets within the same run of the document). Undefined for any other report.
 *
 * Written alone (not in a transaction: DynamoDB bills a transactional write twice), so a node's
 * unchanged report writes its target once: issue 30's cost model.
 */
export function unmovingReportPut(
  table: string,
  scope: Scope,
  previous: ExecutionTargetRecord,
  next: ExecutionTargetRecord,
): NonNullable<TransactItem["Put"]> | undefined {
  const movesNothing =
    previous.Shard !== undefined && previous.Released && next.Released && previous.Status === next.Status;
  if (!movesNothing) return undefined;
  return reportTargetPut(table, scope, previous, next);
}

/** A report's put of its target, on condition that the target is still as read. */
function reportTargetPut(
  table: string,
  scope: Scope,
  previous: ExecutionTargetRecord,
  next: ExecutionTargetRecord,
): NonNullable<TransactItem["Put"]> {
  return {
    TableName: table,
    Item: targetItem(scope, next),
    ConditionExpression: "#status = :previous AND Released = :released",
    ExpressionAttributeNames: { "#status": "Status" },
    ExpressionAttributeValues: { ":previous": previous.Status, ":released": previous.Released },
  };
}

/** The counters of a run written before issue 26, on its own item. */
function unshardedRunUpdate(
  table: string,
  key: { PK: string; SK: string },
  add: Record<string, number>,
  errorDelta: number,
  date: string | undefined,
): NonNullable<TransactItem["Update"]> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":date": date, ":zero": 0 };
  const sets = ["LastExecutionDate = :date"];
  const counters: Record<string, number> = {
    Waiting: add[RunCounter.Waiting] ?? 0,
    Active: add[RunCounter.Active] ?? 0,
    Errors: errorDelta,
  };
  for (const [name, delta] of Object.entries(add)) {
    if (!name.startsWith(STATUS_COUNTER) || delta === 0) continue;
    const i = Object.keys(names).length;
    names[`#s${i}`] = name.slice(STATUS_COUNTER.length);
    values[`:s${i}`] = delta;
    sets.push(`Counts.#s${i} = if_not_exists(Counts.#s${i}, :zero) + :s${i}`);
  }
  for (const [name, delta] of Object.entries(counters)) {
    if (delta === 0) continue;
    values[`:${name}`] = delta;
    sets.push(`${name} = ${name} + :${name}`);
  }
  return {
    TableName: table,
    Key: key,
    UpdateExpression: `SET ${sets.join(", ")}`,
    ConditionExpression: "attribute_exists(PK)",
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
  };
}

/** The moves of a waiting target told to run: in its shard, under the shard's share of MaxConcurrency. */
export function releaseMove(scope: Scope, table: string, target: ExecutionTargetRecord, slots: number) {
  return shardUpdate(table, shardKey(scope, target), {
    add: { [RunCounter.Waiting]: -1, [RunCounter.Active]: 1 },
    expiresAt: runExpiresAt(target.ExecutionId),
    below: { counter: RunCounter.Active, limit: slots },
  });
}

/** The moves of a node that joins a run, told to run at once (beyond MaxConcurrency, as AWS lets it). */
export function joinMove(scope: Scope, table: string, target: ExecutionTargetRecord) {
  return shardUpdate(table, shardKey(scope, target), {
    add: { [RunCounter.Targets]: 1, [RunCounter.Active]: 1, [statusCounter("Pending")]: 1 },
    expiresAt: runExpiresAt(target.ExecutionId),
  });
}

/** Moves of the association's StatusCounts, by status; a status may be moved more than once. */
export class CountMoves {
  readonly moves: Record<string, number> = {};

  move(status: string, delta: number): void {
    this.moves[status] = (this.moves[status] ?? 0) + delta;
  }

  /** A change of one target's status: one more in `to`, one fewer in `from` (if it had one). */
  change(from: string | undefined, to: string): void {
    if (from === to) return;
    this.move(to, 1);
    if (from !== undefined) this.move(from, -1);
  }

  /**
   * SET clauses for the moves that change a count. Names and values are declared only for the
   * counts that move: DynamoDB refuses an expression that declares any it does not use (issue
   * 14, bug 1: a report that kept its status was answered 500).
   */
  apply(names: Record<string, string>, values: Record<string, unknown>, sets: string[]): void {
    const changed = Object.entries(this.moves).filter(([, delta]) => delta !== 0);
    if (changed.length === 0) return;
    names["#counts"] = "StatusCounts";
    values[":zero"] = 0;
    changed.forEach(([status, delta], i) => {
      names[`#s${i}`] = status;
      values[`:m${i}`] = delta;
      sets.push(`#counts.#s${i} = if_not_exists(#counts.#s${i}, :zero) + :m${i}`);
    });
  }
}

/**
 * The run's items of a node's report, and the move it makes on the association's rollup kept on
 * its head (a legacy association's only: others derive their rollup from the run's shards).
 */
export function landOnRun(
  table: string,
  scope: Scope,
  run: RunReport | TargetReport,
  moves: CountMoves,
): TransactItem[] {
  moves.change(run.previous.Status, run.next.Status);
  return reportItems(table, scope, run.execution, run.previous, run.next);
}
