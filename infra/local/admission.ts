/**
 * Admission control for `npm start`: how many requests the process works on at once, and what
 * happens to the rest. Beyond `working` requests at work, a request waits in line (first come,
 * first served); one that would wait longer than `maxWaitMs`, or find `queued` already in line,
 * is refused at once with AWS's answer to a caller going too fast, `ThrottlingException` "Rate
 * exceeded" (HTTP 400), before its handler runs: a refused request did nothing, and every client
 * of this API retries it with backoff (aws-sdk-go v1's retryer counts it as a throttle,
 * aws/request/retryer.go; SDK v3's standard retry strategy and botocore too).
 *
 * Why: without it every request is taken in and they all share the two cores and the DynamoDB
 * client's sockets, so under overload each one slows until all of them run past the handler's
 * 30 s and are answered 500 (a 10,000-node fleet: 5,524 InternalServerError, issue 30), while
 * their work goes on after the answer. Admitted, a request starts work within `maxWaitMs` and
 * finishes at the speed of an unloaded server; refused, its agent comes back later.
 *
 * A held GetMessages poll gives its place back while it only waits (lib/work-slot.ts), so a
 * fleet's held polls never fill the limit; when it works again (a message came) it is counted
 * again without waiting in line: it is finishing an admitted request.
 */
import type { WorkSlot } from "../../shared/lib/work-slot.ts";

export type AdmissionLimits = {
  /** Requests at work at once; more wait in line. */
  working: number;
  /** Requests waiting in line at most; one more is refused at once. */
  queued: number;
  /** The longest a request waits in line before it is refused. */
  maxWaitMs: number;
};

/**
 * The defaults, from measurement on the 2-core bench machine (`npx tsx bench/admission.ts`,
 * BENCHMARKS.md "Admission control"): with 256 callers and nothing refused, throughput rises up
 * to 16-32 requests at work (about 375 a second on a busy machine) and falls past it (344 at 64,
 * 280 at 128: more at once only share the two cores and the DynamoDB client's 50 sockets), while
 * the time an admitted request takes grows with the number at work (43 ms at 16, 85 at 32, 186 at
 * 64, 458 at 128). 32 is the top of the curve. A request waits in line at most 1 s, the fleet's
 * p99 goal: past that its caller is better off backing off (the agent's SDK waits 0.5-1 s, then
 * 1-2 s, then 2-4 s) than waiting on. 1,024 in line is more than 1 s of arrivals at the most this
 * machine serves; it only bounds memory in a burst, the wait refuses first.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = { working: 32, queued: 1024, maxWaitMs: 1000 };

/** The limits from the environment (ADMISSION_WORKING, ADMISSION_QUEUED, ADMISSION_MAX_WAIT_MS), else the defaults. */
export function admissionLimitsFrom(env: NodeJS.ProcessEnv = process.env): AdmissionLimits {
  const positive = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, not "${value}"`);
    return parsed;
  };
  return {
    working: Math.max(1, positive("ADMISSION_WORKING", DEFAULT_ADMISSION.working)),
    queued: positive("ADMISSION_QUEUED", DEFAULT_ADMISSION.queued),
    maxWaitMs: positive("ADMISSION_MAX_WAIT_MS", DEFAULT_ADMISSION.maxWaitMs),
  };
}

/** An admitted request's place: given back once, when it is answered. */
export type Admitted = WorkSlot & { leave(): void };

type Waiter = {
  admit: (slot: Admitted) => void;
  timer: NodeJS.Timeout;
  gone: boolean;
  /** When it joined the line (performance.now()). */
  since: number;
  /** A message poll: waits its patience, not counted against `queued`. */
  patient: boolean;
};

export class Admission {
  #working = 0;
  #line: Waiter[] = [];
  /** Message polls in line: served after `#line`, whose callers wait 1 s where a poll waits its hold. */
  #polls: Waiter[] = [];
  #waiting = 0;
  /** Of those waiting, message polls (not counted against `queued`). */
  #patient = 0;
  /** Requests refused since the process started (the operator's log reports them). */
  refused = 0;

  constructor(readonly limits: AdmissionLimits) {}

  /** Requests at work now, and waiting in line. */
  get load(): { working: number; waiting: number } {
    return { working: this.#working, waiting: this.#waiting };
  }

  /**
   * A request's place among those at work, once it has one; undefined: refused.
   *
   * `patient` is for the agent's message poll (GetMessages): it waits in line up to `patienceMs`
   * (its hold), not `maxWaitMs`, and is not counted against `queued`. A refused poll comes back
   * after the agent's 2-2.5 s pause instead of once per 19 s hold, eight times the rate, so
   * refusing polls under overload multiplied the load that caused it (a 10,000-node fleet: about
   * 4,000 refused polls a second, and the start-up storm never ended); let in at once over the
   * limit instead, a fleet's first polls (each reads its queue) took thousands of places and
   * refused every other call. In line, its hold is shortened by its wait (`Admitted.waitedMs`,
   * mailbox.ts), so that its answer still comes within the agent's 20 s.
   */
  enter(patient?: { patienceMs: number }): Promise<Admitted | undefined> | Admitted | undefined {
    if (this.#working < this.limits.working && this.#waiting === 0) {
      this.#working++;
      return this.#slot(0);
    }
    const patienceMs = patient ? patient.patienceMs : this.limits.maxWaitMs;
    if (!patient && this.#waiting - this.#patient >= this.limits.queued) return this.#refuse();
    if (patienceMs === 0) return this.#refuse();
    const since = performance.now();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: (slot) => resolve(slot),
        since,
        patient: patient !== undefined,
        gone: false,
        timer: setTimeout(() => {
          waiter.gone = true;
          this.#leaveLine(waiter);
          // No one left in line: drop the refused ones still in the array.
          if (this.#waiting === 0) {
            this.#line.length = 0;
            this.#polls.length = 0;
          }
          resolve(this.#refuse());
        }, patienceMs),
      };
      (waiter.patient ? this.#polls : this.#line).push(waiter);
      this.#waiting++;
      if (waiter.patient) this.#patient++;
    });
  }

  #leaveLine(waiter: Waiter): void {
    this.#waiting--;
    if (waiter.patient) this.#patient--;
  }

  #refuse(): undefined {
    this.refused++;
    return undefined;
  }

  #slot(waitedMs: number): Admitted {
    let counted = true;
    let left = false;
    const release = () => {
      if (!counted) return;
      counted = false;
      this.#working--;
      this.#next();
    };
    return {
      waitedMs,
      idle: release,
      busy: () => {
        if (counted || left) return;
        counted = true;
        this.#working++;
      },
      leave: () => {
        release();
        left = true;
      },
    };
  }

  /** Hands freed places to the requests longest in line, message polls last (they can wait longest). */
  #next(): void {
    while (this.#working < this.limits.working && this.#line.length + this.#polls.length > 0) {
      const waiter = (this.#line.length > 0 ? this.#line.shift() : this.#polls.shift()) as Waiter;
      if (waiter.gone) continue;
      clearTimeout(waiter.timer);
      this.#leaveLine(waiter);
      this.#working++;
      waiter.admit(this.#slot(performance.now() - waiter.since));
    }
  }
}
