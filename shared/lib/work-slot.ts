/**
 * A request's place among those the process is working on (infra/local/admission.ts gives it),
 * for the code that runs the request to say when it stops working and only waits: a held
 * GetMessages poll waiting for its node's next message holds a connection and a timer, no CPU
 * and no DynamoDB call, and must not count against the limit on requests at work, or a fleet's
 * held polls (one per node) would fill it and refuse every other call.
 *
 * AsyncLocalStorage, as request-scope.ts: the server admits many requests at once. Code that runs
 * outside any admitted request (a deployed function, a test calling a domain directly) has no
 * slot, and waits as it did.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type WorkSlot = {
  /** How long the request waited in line before it had its place, in ms. */
  readonly waitedMs: number;
  /** The request stops working and only waits: its place goes to the next request in line. */
  idle(): void;
  /** The request works again (it answers what it waited for): counted again, never refused. */
  busy(): void;
};

const storage = new AsyncLocalStorage<WorkSlot>();

/** Runs a request's work with its slot. */
export function inWorkSlot<T>(slot: WorkSlot, work: () => Promise<T>): Promise<T> {
  return storage.run(slot, work);
}

/** How long the running request waited in line for its place (0 outside any admitted request). */
export function timeInLine(): number {
  return storage.getStore()?.waitedMs ?? 0;
}

/** Waits for `waiting` without holding the request's place among those at work. */
export async function waitIdle<T>(waiting: () => Promise<T>): Promise<T> {
  const slot = storage.getStore();
  slot?.idle();
  try {
    return await waiting();
  } finally {
    slot?.busy();
  }
}
