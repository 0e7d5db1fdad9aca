/**
 * What a fleet's agents saw, call by call: each operation's latencies and its answers by error
 * code (a status that is not 200, or the network error the call died of).
 */
export type CallFigures = {
  count: number;
  p50: number;
  p99: number;
  max: number;
  errors: Record<string, number>;
  /** Times a call was refused with a throttle and sent again, as the agent's SDK does (test/support/sdk-go-retryer.ts). */
  throttleRetries: number;
};

const percentile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

const round = (ms: number) => Math.round(ms * 100) / 100;

/** A log's raw samples, to hand to another process's log (bench/lib/fleet/workers.ts). */
export type CallSamples = {
  latencies: Record<string, number[]>;
  errors: Record<string, Record<string, number>>;
  throttleRetries?: Record<string, number>;
};

export class CallLog {
  readonly #latencies = new Map<string, number[]>();
  readonly #errors = new Map<string, Record<string, number>>();
  readonly #throttleRetries = new Map<string, number>();
  /** Calls answered so far, every operation. */
  answered = 0;

  record(operation: string, ms: number, error?: string): void {
    const samples = this.#latencies.get(operation) ?? [];
    if (samples.length === 0) this.#latencies.set(operation, samples);
    samples.push(ms);
    this.answered++;
    if (error) {
      const errors = this.#errors.get(operation) ?? {};
      errors[error] = (errors[error] ?? 0) + 1;
      this.#errors.set(operation, errors);
    }
  }

  /** A call of `operation` was throttled and is sent again. */
  throttled(operation: string): void {
    this.#throttleRetries.set(operation, (this.#throttleRetries.get(operation) ?? 0) + 1);
  }

  /** What was recorded, as it was, and forgotten here (an agents' process hands it to the fleet's). */
  take(): CallSamples {
    const samples = {
      latencies: Object.fromEntries(this.#latencies),
      errors: Object.fromEntries(this.#errors),
      throttleRetries: Object.fromEntries(this.#throttleRetries),
    };
    this.reset();
    return samples;
  }

  /** Another log's samples, recorded here as if recorded here. */
  add(samples: CallSamples): void {
    for (const [operation, latencies] of Object.entries(samples.latencies)) {
      const mine = this.#latencies.get(operation) ?? [];
      this.#latencies.set(operation, mine);
      for (const ms of latencies) mine.push(ms);
      this.answered += latencies.length;
    }
    for (const [operation, errors] of Object.entries(samples.errors)) {
      const mine = this.#errors.get(operation) ?? {};
      this.#errors.set(operation, mine);
      for (const [code, n] of Object.entries(errors)) mine[code] = (mine[code] ?? 0) + n;
    }
    for (const [operation, n] of Object.entries(samples.throttleRetries ?? {})) {
      this.#throttleRetries.set(operation, (this.#throttleRetries.get(operation) ?? 0) + n);
    }
  }

  /** Forgets what was recorded (the figures of a phase start afresh). */
  reset(): void {
    this.#latencies.clear();
    this.#errors.clear();
    this.#throttleRetries.clear();
    this.answered = 0;
  }

  errorCount(): number {
    let count = 0;
    for (const errors of this.#errors.values()) for (const n of Object.values(errors)) count += n;
    return count;
  }

  /** Each operation's figures, and `all` of them together. */
  figures(): Record<string, CallFigures> {
    const result: Record<string, CallFigures> = {};
    const all: number[] = [];
    const allErrors: Record<string, number> = {};
    for (const [operation, samples] of [...this.#latencies].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = Float64Array.from(samples).sort();
      const errors = this.#errors.get(operation) ?? {};
      for (const [code, n] of Object.entries(errors)) allErrors[code] = (allErrors[code] ?? 0) + n;
      for (const sample of samples) all.push(sample);
      result[operation] = {
        count: sorted.length,
        p50: round(percentile(sorted, 0.5)),
        p99: round(percentile(sorted, 0.99)),
        max: round(sorted.at(-1) ?? Number.NaN),
        errors,
        throttleRetries: this.#throttleRetries.get(operation) ?? 0,
      };
    }
    const sorted = Float64Array.from(all).sort();
    result.all = {
      count: sorted.length,
      p50: round(percentile(sorted, 0.5)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? Number.NaN),
      errors: allErrors,
      throttleRetries: [...this.#throttleRetries.values()].reduce((a, b) => a + b, 0),
    };
    return result;
  }
}
