/**
 * The one retry policy: a few attempts with a short random pause that grows with each attempt,
 * for writes that lost a race to another writer. The writes' own conditions make a retry safe.
 */
import { TooManyUpdates } from "../errors.ts";
import { countEvent } from "./request-scope.ts";

/** A store's answer to a lost race: what the domain retries on fresh reads. */
export const isTooManyUpdates = (error: unknown): boolean => error instanceof TooManyUpdates;

export async function retry<T>(
  run: () => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error)) throw error;
      // Counted per request (its log line's `events.Retries`, a metric deployed): how often writers race.
      countEvent("Retries");
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
