/**
 * What one request did below the protocol stack, counted where it happens: each DynamoDB call
 * (shared/store/dynamodb.ts counts at the client, so no store has to) and its consumed capacity,
 * and the service-level events the log line and metrics report (runs started, messages
 * delivered, node heartbeats). The stack opens a scope per request (`inRequestScope`); code
 * running on that request's behalf adds to it; code outside any request (the scheduler's tick
 * has its own scope, a test calling a store directly none) adds to nothing.
 *
 * AsyncLocalStorage, because a process may serve requests concurrently (the local server): a
 * plain module field would mix them. On Node.js 24 it follows the async context without promise
 * hooks (AsyncContextFrame), so it costs a request nearly nothing (BENCHMARKS.md).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The service-level events a request may count. */
export type ServiceEvent = "RunsStarted" | "MessagesDelivered" | "NodeHeartbeats" | "Retries" | "TransactionConflicts";

export type RequestTally = {
  /**
   * Who a request that nothing authenticated turned out to act for (a registration names only its
   * activation: its account, and the node it made), set by the code that found out.
   */
  actingFor?: { accountId: string; region: string; nodeId: string };
  dynamodbCalls: number;
  /** Capacity units DynamoDB reported consumed (ReturnConsumedCapacity: TOTAL). */
  consumedCapacity: number;
  /** The part of it that writes consumed (write capacity units; the rest are read units). */
  writeCapacity: number;
  events: Partial<Record<ServiceEvent, number>>;
};

const storage = new AsyncLocalStorage<RequestTally>();

export const newTally = (): RequestTally => ({ dynamodbCalls: 0, consumedCapacity: 0, writeCapacity: 0, events: {} });

export function inRequestScope<T>(tally: RequestTally, work: () => Promise<T>): Promise<T> {
  return storage.run(tally, work);
}

/** The tally of the request this code runs for, if any. */
export const currentTally = (): RequestTally | undefined => storage.getStore();

/** Says who an unauthenticated request acts for, once the service knows (see RequestTally). */
export function actingFor(who: NonNullable<RequestTally["actingFor"]>): void {
  const tally = storage.getStore();
  if (tally) tally.actingFor = who;
}

/** Counts a service-level event for the request in progress (nothing outside a request); 0 is a count too. */
export function countEvent(event: ServiceEvent, count = 1): void {
  const tally = storage.getStore();
  if (tally) tally.events[event] = (tally.events[event] ?? 0) + count;
}
