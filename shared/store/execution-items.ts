/**
 * The items of association runs, shared by the stores that write them: the execution store
 * (StartAssociationsOnce, the scheduler), the association store (a run published with a create
 * or an update) and the status reports (a node's report lands on its run's target).
 *
 * Big fleets: a transaction holds at most 100 items and an item at most 400 KB. An execution item
 * holds counters only, so it never grows with the fleet. Its targets go into the publishing
 * transaction while they fit; otherwise they are written in batches *before* it. That stays
 * consistent because a run's targets are reachable only through its execution item and the
 * head's CurrentExecutionId, both written by the transaction: until it commits, targets written
 * early are unreachable, and if it fails they are deleted again (and still unreachable if that
 * cleanup is interrupted).
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
import type { TransactItem } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

export const MAX_TRANSACTION_ITEMS = 100;

export function executionItem(scope: Scope, execution: ExecutionRecord): Record<string, unknown> {
  return {
    ...keys.execution(scope, execution.AssociationId, execution.ExecutionId),
    Type: EntityType.AssociationExecution,
    ...execution,
  };
}

export function targetItem(scope: Scope, target: ExecutionTargetRecord): Record<string, unknown> {
  return {
    ...keys.executionTarget(scope, target.ExecutionId, target.ResourceId),
    Type: EntityType.ExecutionTarget,
    ...target,
  };
}

/**
 * The puts of a new run: the execution, and its targets if `room` items are left in the
 * transaction; otherwise the targets come back in `early`, to be written before it.
 */
export function runPuts(
  table: string,
  scope: Scope,
  planned: PlannedExecution,
  room: number,
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
  const targets = planned.targets.map((target) => targetItem(scope, target));
  if (targets.length <= room - 1) {
    for (const Item of targets) puts.push({ Put: { TableName: table, Item } });
    return { puts, early: [] };
  }
  return { puts, early: targets };
}

async function batchWrite(db: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[]) {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
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

/**
 * A node's report on its run's target: the target put on condition that it is still as read,
 * and the run's counters moved by the difference, in the caller's transaction. Returns the items
 * and whether this report is the one that stops the run (MaxErrors), in which case the run is
 * conditioned on its Waiting count so the caller can move exactly those targets to Skipped in
 * the association's rollup. Without the run as read (`execution` undefined: the target is a
 * legacy association's copy, records.ts RunTarget), the run is conditioned on no other target
 * waiting in it, which a legacy association's run (its one node) always meets: then no report
 * can stop the run with targets left to skip.
 */
export function reportItems(
  table: string,
  scope: Scope,
  execution: ExecutionRecord | undefined,
  previous: ExecutionTargetRecord,
  next: ExecutionTargetRecord,
): { items: TransactItem[]; skipped: number } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":date": next.LastExecutionDate ?? execution?.CreatedTime ?? previous.LastExecutionDate,
  };
  const sets = ["LastExecutionDate = :date"];
  const add = (attribute: string, delta: number) => {
    if (delta === 0) return;
    const value = `:d${sets.length}`;
    values[value] = delta;
    sets.push(`${attribute} = ${attribute} + ${value}`);
  };
  if (previous.Status !== next.Status) {
    names["#counts"] = "Counts";
    names["#old"] = previous.Status;
    names["#new"] = next.Status;
    values[":zero"] = 0;
    values[":one"] = 1;
    sets.push("#counts.#old = #counts.#old - :one", "#counts.#new = if_not_exists(#counts.#new, :zero) + :one");
  }
  add("Waiting", !previous.Released && next.Released ? -1 : 0);
  add("Active", Number(isActive(next)) - Number(isActive(previous)));
  const errorDelta = Number(ERROR_STATUSES.has(next.Status)) - Number(ERROR_STATUSES.has(previous.Status));
  add("Errors", errorDelta);
  let condition = "attribute_exists(PK)";
  if (!execution) {
    values[":waiting"] = previous.Released ? 0 : 1;
    condition += " AND Waiting = :waiting";
    return { items: reportWrites(table, scope, previous, next, sets, names, values, condition), skipped: 0 };
  }
  const waitingAfter = execution.Waiting - (!previous.Released && next.Released ? 1 : 0);
  const trips =
    execution.Errors <= execution.MaxErrors && execution.Errors + errorDelta > execution.MaxErrors && waitingAfter > 0;
  if (trips) {
    values[":errors"] = execution.Errors;
    values[":waiting"] = execution.Waiting;
    condition += " AND Errors = :errors AND Waiting = :waiting";
  }
  return {
    items: reportWrites(table, scope, previous, next, sets, names, values, condition),
    skipped: trips ? waitingAfter : 0,
  };
}

/** The target put on condition that it is as read, and the run's update. */
function reportWrites(
  table: string,
  scope: Scope,
  previous: ExecutionTargetRecord,
  next: ExecutionTargetRecord,
  sets: string[],
  names: Record<string, string>,
  values: Record<string, unknown>,
  condition: string,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: table,
        Item: targetItem(scope, next),
        ConditionExpression: "#status = :previous AND Released = :released",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: { ":previous": previous.Status, ":released": previous.Released },
      },
    },
    {
      Update: {
        TableName: table,
        Key: keys.execution(scope, next.AssociationId, next.ExecutionId),
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: condition,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    },
  ];
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
 * The run's items of a node's report, and the moves it makes on the association's rollup: the
 * target's change of status, and, for the report that stops the run (MaxErrors), its waiting
 * targets to Skipped.
 */
export function landOnRun(
  table: string,
  scope: Scope,
  run: RunReport | TargetReport,
  moves: CountMoves,
): TransactItem[] {
  moves.change(run.previous.Status, run.next.Status);
  const landed = reportItems(table, scope, run.execution, run.previous, run.next);
  if (landed.skipped > 0) {
    moves.move("Pending", -landed.skipped);
    moves.move("Skipped", landed.skipped);
  }
  return landed.items;
}
