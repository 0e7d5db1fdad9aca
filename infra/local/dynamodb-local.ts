/**
 * Launches the real DynamoDB Local jar (shipped inside the `amplify-dynamodb-simulator` npm
 * package) on a free loopback port, and stops it with its parent so no java process is orphaned.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type DynamoDbLocal = {
  endpoint: string;
  port: number;
  /** The Java process's id (the bench reads the CPU time it takes). */
  pid: number | undefined;
  stop: () => Promise<void>;
  /** Kills the process at once (`kill -9`), as a crash would: the fault tests restart it on the same data. */
  crash: () => Promise<void>;
};

export type DynamoDbLocalOptions = {
  /** Folder for the database file; in memory when absent. */
  dataDir?: string;
  port?: number;
  /** How long to wait for it to answer (a loaded machine starts Java slowly). */
  startTimeoutMs?: number;
};

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer means the server is up; DynamoDB Local answers 400 to a bare GET.
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`DynamoDB Local did not start on port ${port} within ${timeoutMs} ms`);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dir = emulatorDir();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      join(dir, "DynamoDBLocal.jar"),
      "-port",
      String(port),
      "-sharedDb",
      // Nothing leaves this machine: no telemetry (and no metadata file in the working folder).
      "-disableTelemetry",
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working folder: keep it out of the project.
    { stdio: ["ignore", "ignore", "pipe"], cwd: options.dataDir ?? tmpdir() },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  try {
    await waitForPort(port, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    killChild();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    crash: () =>
      new Promise((resolve) => {
        process.removeListener("exit", killChild);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
    stop: () =>
      new Promise((resolve) => {
        process.removeListener("exit", killChild);
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
