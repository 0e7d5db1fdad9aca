/**
 * What this process knows of its nodes' queues, from being told of every message it puts in
 * them: the in-process wake-up of a held GetMessages (whoever puts a message in a node's queue
 * here tells the polls of that node waiting here, so a held poll answers as soon as the message
 * is written), and which queues were last read empty with nothing sent to them since (so that,
 * where every sender is in this process, a poll of such a queue need not read it again: the
 * mailbox decides how long it trusts that, mailbox.ts). Across processes (deployed: one Lambda
 * function a request) nothing is told, and a held poll reads its queue again every second
 * instead (mailbox.ts).
 *
 * A read and a send may overlap: a read that started before a send finished may or may not have
 * seen its message, so an empty read counts only when nothing was sent to the node since the
 * read began (`mark`, `readEmpty`), and a poll that read empty while a send went on reads again
 * at once (`sentSince`) rather than wait for a wake-up that already happened.
 */
export class MessageSignal {
  readonly #waiting = new Map<string, Set<() => void>>();
  /** Sends told so far, every node: a read's mark is this count when it began. */
  #sends = 0;
  /** The count at each node's last send. */
  readonly #lastSend = new Map<string, number>();
  /** Nodes whose queue was read empty with nothing sent since, and when that read began (epoch ms). */
  readonly #readEmptyAt = new Map<string, number>();

  /** A message was put in this node's queue: wakes every poll waiting for it now, and forgets that it was empty. */
  notify(node: string): void {
    this.#lastSend.set(node, ++this.#sends);
    this.#readEmptyAt.delete(node);
    const waiters = this.#waiting.get(node);
    if (!waiters) return;
    this.#waiting.delete(node);
    for (const wake of waiters) wake();
  }

  /** Taken just before a read of a node's queue, for `readEmpty` and `sentSince` after it. */
  mark(): number {
    return this.#sends;
  }

  /** Whether a message was put in this node's queue since `mark` was taken. */
  sentSince(node: string, mark: number): boolean {
    return (this.#lastSend.get(node) ?? 0) > mark;
  }

  /** A read begun at `mark` (and at `at`, epoch ms) found the node's queue empty: remembered unless a send overlapped it. */
  readEmpty(node: string, mark: number, at: number): void {
    if (!this.sentSince(node, mark)) this.#readEmptyAt.set(node, at);
  }

  /** When the node's queue was last read empty with nothing sent to it since; undefined when not known so. */
  emptySince(node: string): number | undefined {
    return this.#readEmptyAt.get(node);
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
