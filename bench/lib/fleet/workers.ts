/**
 * The fleet's agents spread over processes of their own (agents-process.ts): this process (the
 * fleet's) only registers activations, reads the server's log, runs the rollout and adds up what
 * the agents' processes saw. A process may open 20,000 files here (`ulimit -Hn`), and a node
 * with the message channel on keeps a connection open, so one process of agents could not hold
 * a fleet of 20,000; the agents' CPU stays counted (`cpuMs`: each process's own, the load
 * generator's cost per request).
 */
import { type ChildProcess, fork } from "node:child_process";
import type { CallLog, CallSamples } from "./calls.ts";
import type { Endpoint, FinishedRun } from "./node.ts";

export type AgentsSetup = {
  endpoint: Endpoint;
  scale: number;
  holdMs: number;
  runMs: number;
  keyPool: number;
  inFlight: number;
  /** The fleet's node indices this process runs; node i registers with activation ⌊i / perActivation⌋. */
  indices: number[];
  /** The indices whose runs fail. */
  failing: number[];
  activations: { ActivationId: string; ActivationCode: string }[];
  perActivation: number;
};

/** What the fleet tells a process of agents. */
export type Order =
  | { type: "enroll"; setup: AgentsSetup }
  | { type: "live"; messages: boolean; spreadMs: number }
  | { type: "take" }
  | { type: "stop"; afterMs: number };

/** What a process of agents tells the fleet. */
export type Told =
  | { type: "ready" }
  | { type: "enrolled"; count: number }
  | { type: "enrollment"; ids: (string | null)[] }
  | { type: "ran"; run: FinishedRun }
  | { type: "received"; node: string; id: string; at: number }
  | { type: "tick"; answered: number; errors: number }
  | { type: "samples"; samples: CallSamples; cpuMs: number }
  | { type: "stopped"; cpuMs: number };

/** A fleet's agents, over `count` processes. */
export class AgentProcesses {
  readonly #children: ChildProcess[] = [];
  readonly #ticks: { answered: number; errors: number }[] = [];
  #enrolled = 0;

  private constructor(
    private readonly on: {
      ran: (run: FinishedRun) => void;
      received: (node: string, id: string, at: number) => void;
      enrolled?: (count: number) => void;
    },
  ) {}

  static async start(count: number, on: AgentProcesses["on"]): Promise<AgentProcesses> {
    const agents = new AgentProcesses(on);
    const file = new URL("./agents-process.ts", import.meta.url).pathname;
    await Promise.all(
      Array.from({ length: count }, async (_, k) => {
        const child = fork(file, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        agents.#children.push(child);
        agents.#ticks[k] = { answered: 0, errors: 0 };
        child.on("message", (told: Told) => agents.heard(k, told));
        await agents.next(child, "ready");
      }),
    );
    return agents;
  }

  get pids(): number[] {
    return this.#children.map((child) => child.pid as number);
  }

  /** Calls answered and errors so far, every process (from their last ticks). */
  progress(): { answered: number; errors: number } {
    return this.#ticks.reduce((sum, t) => ({ answered: sum.answered + t.answered, errors: sum.errors + t.errors }), {
      answered: 0,
      errors: 0,
    });
  }

  /** Enrols node i of `nodes` in process i mod count; each node's id, null when refused. */
  async enroll(
    nodes: number,
    setup: Omit<AgentsSetup, "indices" | "failing" | "inFlight"> & { inFlight: number; failing: Set<number> },
  ): Promise<(string | null)[]> {
    const ids: (string | null)[] = Array.from({ length: nodes }, () => null);
    const count = this.#children.length;
    await Promise.all(
      this.#children.map(async (child, k) => {
        const indices = Array.from({ length: Math.ceil((nodes - k) / count) }, (_, j) => k + j * count);
        const answer = this.next<{ type: "enrollment"; ids: (string | null)[] }>(child, "enrollment");
        child.send({
          type: "enroll",
          setup: {
            ...setup,
            inFlight: Math.max(1, Math.round(setup.inFlight / count)),
            indices,
            failing: indices.filter((i) => setup.failing.has(i)),
          },
        } satisfies Order);
        const { ids: theirs } = await answer;
        theirs.forEach((id, j) => {
          ids[indices[j] as number] = id;
        });
      }),
    );
    return ids;
  }

  live(messages: boolean, spreadMs = 0): void {
    for (const child of this.#children) child.send({ type: "live", messages, spreadMs } satisfies Order);
  }

  /** What every process recorded since the last take, into `calls`; their CPU ms so far, all together. */
  async take(calls: CallLog): Promise<number> {
    const answers = await Promise.all(
      this.#children.map((child) => {
        const answer = this.next<{ type: "samples"; samples: CallSamples; cpuMs: number }>(child, "samples");
        child.send({ type: "take" } satisfies Order);
        return answer;
      }),
    );
    for (const { samples } of answers) calls.add(samples);
    return answers.reduce((sum, answer) => sum + answer.cpuMs, 0);
  }

  /** Stops every node's loops; each process exits `afterMs` later. */
  async stop(afterMs: number): Promise<void> {
    await Promise.all(
      this.#children.map((child) => {
        if (child.exitCode !== null) return undefined;
        const answer = this.next(child, "stopped");
        child.send({ type: "stop", afterMs } satisfies Order);
        return answer;
      }),
    );
  }

  kill(): void {
    for (const child of this.#children) if (child.exitCode === null) child.kill();
  }

  private heard(k: number, told: Told): void {
    if (told.type === "ran") this.on.ran(told.run);
    else if (told.type === "received") this.on.received(told.node, told.id, told.at);
    else if (told.type === "tick") this.#ticks[k] = { answered: told.answered, errors: told.errors };
    else if (told.type === "enrolled") {
      this.#enrolled += told.count;
      this.on.enrolled?.(this.#enrolled);
    }
  }

  private next<T extends Told>(child: ChildProcess, type: T["type"]): Promise<T> {
    return new Promise((resolve, reject) => {
      const listen = (told: Told) => {
        if (told.type !== type) return;
        child.off("message", listen);
        child.off("exit", exited);
        resolve(told as T);
      };
      const exited = (code: number | null) =>
        reject(new Error(`a process of agents exited (${code}) before "${type}"`));
      child.on("message", listen);
      child.once("exit", exited);
    });
  }
}
