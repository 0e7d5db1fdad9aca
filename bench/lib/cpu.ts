/**
 * The CPU time each process of a run has taken: the endpoint (`npm start`) and the bare server,
 * DynamoDB Local (Java), moto_server and this process (the load generator, which is also the raw baselines' client).
 * On a machine with few cores, the processes of a cell above c=1 take turns on them: a cell's CPU
 * time per request, process by process, says where its requests' time went (BENCHMARKS.md's
 * throughput table). Read from /proc (Linux); elsewhere there is no figure.
 */
import { readdirSync, readFileSync } from "node:fs";

export type CpuTimes = { server: number; dynamodb: number; moto: number; client: number };
/** Milliseconds of CPU (user and system) each process has taken since it started; undefined off Linux. */
export type CpuProbe = () => CpuTimes | undefined;

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

function processMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // The fields after the command name (which may hold spaces, in parentheses): utime and
    // stime are the 12th and 13th of them (proc(5): fields 14 and 15).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * `server` is every server process ours are compared in: the endpoint and the bare server
 * (bench/bare-server.ts), never busy at the same time (a cell's loads run in turns).
 */
export function cpuProbe(pids: {
  server: (number | undefined)[];
  dynamodb?: number;
  moto?: number;
  /** The load generator's other processes (a fleet's agents), counted with this one. */
  clients?: number[];
}): CpuProbe {
  return () => {
    if (process.platform !== "linux") return undefined;
    const self = process.cpuUsage();
    return {
      server: pids.server.reduce((sum: number, pid) => sum + processMs(pid), 0),
      dynamodb: processMs(pids.dynamodb),
      moto: processMs(pids.moto),
      client: (self.user + self.system) / 1000 + (pids.clients ?? []).reduce((sum, pid) => sum + processMs(pid), 0),
    };
  };
}

/** CPU per completed request between two readings, and how busy the cores were. */
export type CellCpu = CpuTimes & {
  /** Every process's CPU over the cell's time and the machine's cores: 1 is every core busy. */
  utilization: number;
};

export function cellCpu(
  before: CpuTimes | undefined,
  after: CpuTimes | undefined,
  requests: number,
  seconds: number,
  cores: number,
): CellCpu | undefined {
  if (!before || !after || requests === 0) return undefined;
  const per = (key: keyof CpuTimes) => (after[key] - before[key]) / requests;
  const total = (Object.keys(after) as (keyof CpuTimes)[]).reduce((sum, key) => sum + after[key] - before[key], 0);
  const cpu = { server: per("server"), dynamodb: per("dynamodb"), moto: per("moto"), client: per("client") };
  if (Object.values(cpu).some((value) => Number.isNaN(value))) return undefined;
  return { ...cpu, utilization: total / (seconds * 1000 * cores) };
}

/**
 * CPU ms the threads of `pid` named `name` have taken (Linux; NaN elsewhere). DynamoDB Local runs
 * every SQLite statement on one thread, `SQLiteQueue[]` (sqlite4java's queue, behind one
 * read/write lock for the whole database: jstack shows it), so that thread's share of a core is
 * how close it is to its limit, whatever the other cores do.
 */
export function threadMs(pid: number | undefined, name: string): number {
  if (pid === undefined || process.platform !== "linux") return Number.NaN;
  try {
    let sum = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      if (readFileSync(`/proc/${pid}/task/${task}/comm`, "utf8").trim() !== name) continue;
      const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      sum += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    }
    return sum;
  } catch {
    return Number.NaN;
  }
}
