/**
 * The in-process wake-up of a held GetMessages: whoever puts a message in a node's queue in this
 * process tells the polls of that node waiting in this process, so a held poll answers as soon as
 * the message is written (locally, where every operation shares one process). Across processes
 * (deployed: one Lambda function a request) nothing is told, and a held poll reads its queue
 * again every second instead (messages.ts).
 */
export class MessageSignal {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Wakes every poll waiting for this node now. */
  notify(node: string): void {
    const waiters = this.#waiting.get(node);
    if (!waiters) return;
    this.#waiting.delete(node);
    for (const wake of waiters) wake();
  }

  /** Resolves true when told about this node, false after `ms`. */
  wait(node: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.#waiting.get(node) ?? new Set<() => void>();
      this.#waiting.set(node, waiters);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiting.get(node) === waiters) this.#waiting.delete(node);
        resolve(false);
      }, ms);
      waiters.add(wake);
    });
  }
}
