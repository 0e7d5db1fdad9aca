/**
 * The README's commands run as printed (issue 31). Every ```sh block of README.md is taken from
 * the file as it is: the first is the quick start, the others are the worked example (an
 * activation, a node, an association it runs, a Run Command) in order. They run in one bash
 * session, with `set -euo pipefail`, as a user pastes them: a command that stops working fails
 * here, and so does a printed output (`# {"Status": "Success", ...}`) the answer no longer has.
 *
 * Changed on the way, and only this: the endpoint's port (the server here listens on a port of its
 * own; `http://127.0.0.1:4583` in the text becomes its URL). What happens on the node is not a
 * command this machine can run (`sudo amazon-ssm-agent -register ...` needs the real agent, see
 * /work/shared/REAL-AGENT.md): the block naming amazon-ssm-agent is replayed with the activation
 * the previous block printed (test/support: FakeAgent's registration and role token, the
 * heartbeat, ManagedNode), and between the user's blocks the replayed agent does what the real
 * one does meanwhile: runs the associations its poll answers Pending and the commands its
 * message channel delivers (test/support/run-command-agent.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/dynamodb-local.ts";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { fencedBlocks } from "../support/markdown.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";

const ROOT = new URL("../../", import.meta.url);
const README = readFileSync(new URL("README.md", ROOT), "utf8");
const SH = fencedBlocks(README)
  .filter((block) => block.language === "sh")
  .map((block) => block.text);
const [QUICK_START = "", ...EXAMPLE] = SH;
/** The endpoint the README's commands name. */
const PRINTED_ENDPOINT = "http://127.0.0.1:4583";
/** What the replayed node's `uname -a` prints. */
const UNAME = "Linux node1 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 x86_64 GNU/Linux\n";

// Polls answered at once: the replayed agent takes its turn between blocks, not in the background.
const server = useLocalEndpoint({ messagePollHoldMs: 0 });

/** The lines of a block without comments and blank lines. */
const commandsOf = (block: string) =>
  block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

/**
 * The outputs a block prints as comments, as `"Member": value` pairs with a definite value
 * (a string without `...`, a number): the CLI's JSON answer must hold each of them.
 */
const printedPairs = (block: string) =>
  block
    .split("\n")
    .filter((line) => /^\s*#\s*[{"]/.test(line))
    .flatMap((line) => [...line.matchAll(/"(\w+)": ("[^"]*"|\d+)/g)].map((pair) => `"${pair[1]}": ${pair[2]}`))
    .filter((pair) => !pair.includes("..."));

/** A bash session the blocks run in one after another, as a user pastes them into one terminal. */
class Shell {
  private readonly child: ChildProcess;
  private stdout = "";
  private stderr = "";
  private blocks = 0;
  private exited: number | null = null;

  constructor(private readonly dir: string) {
    this.child = spawn("bash", ["--noprofile", "--norc"], {
      cwd: dir,
      // A clean user: no AWS configuration or credentials of this machine's own, only the README's.
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        LANG: "C.UTF-8",
        AWS_CONFIG_FILE: join(dir, "no-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (chunk) => {
      this.stdout += chunk;
    });
    this.child.stderr?.on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.child.on("exit", (code) => {
      this.exited = code ?? -1;
    });
    this.child.stdin?.write("set -euo pipefail\n");
  }

  /** Runs a block in the session; its stdout, or an error with its stderr if any command failed. */
  async run(block: string): Promise<string> {
    const index = ++this.blocks;
    const file = join(this.dir, `block-${index}.sh`);
    writeFileSync(file, block.replaceAll(PRINTED_ENDPOINT, server.url));
    const marker = `-- block ${index} done --`;
    const [outFrom, errFrom] = [this.stdout.length, this.stderr.length];
    this.child.stdin?.write(`source ${file} </dev/null\necho '${marker}'\n`);
    while (!this.stdout.includes(marker, outFrom)) {
      if (this.exited !== null) {
        throw new Error(`README block ${index} failed (exit ${this.exited}):\n${block}\n${this.stderr.slice(errFrom)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.stdout.slice(outFrom, this.stdout.indexOf(marker, outFrom));
  }

  close() {
    if (this.exited === null) this.child.stdin?.end("exit\n");
  }
}

describe("README.md's quick start", () => {
  it("is the two commands: `npm install && npm start` runs the product, `npm test` every test", () => {
    expect(commandsOf(QUICK_START)).toEqual(["npm install && npm start", "npm test"]);
    const scripts = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")).scripts;
    // `npm test` is the command running this file, and .ci/run runs it: not started again here.
    expect(scripts.test).toMatch(/vitest run$/);
    expect(readFileSync(new URL(".ci/run", ROOT), "utf8")).toMatch(/^\s*npm test\s*$/m);
  });

  // `npm install` is not run: it would rewrite the node_modules this suite runs from (.ci/run
  // installs with npm ci). The product command after it runs as printed, on a port and data
  // directory of its own, and answers the aws CLI.
  it("`npm start` as printed serves the SSM API", { timeout: 90_000 }, async () => {
    const command = (commandsOf(QUICK_START)[0] as string).replace(/^npm install && /, "");
    expect(command).toBe("npm start");
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "osm-readme-start-"));
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...environment } = process.env;
    const child = spawn("bash", ["-c", command], {
      cwd: ROOT,
      env: { ...environment, PORT: String(port), DATA_DIR: dataDir, DYNAMODB_ENDPOINT: "", TABLE_NAME: "" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that the stop reaches npm, node and java.
      detached: true,
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("aws ssm list-documents")) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Signed with the credentials npm start prints on first start (test / test).
      const listed = await awsCli(
        `http://127.0.0.1:${port}`,
        ["list-documents", "--filters", "Key=Owner,Values=Amazon"],
        {
          output: "json",
        },
      );
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('"Name": "AWS-RunShellScript"');
    } finally {
      if (child.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        process.kill(-child.pid, "SIGINT");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("README.md's worked example, as printed", () => {
  let dir: string;
  let shell: Shell;
  let node: ManagedNode | undefined;
  let agent: ReplayedAgent | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "osm-readme-"));
    shell = new Shell(dir);
  });
  afterAll(() => {
    shell?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the real agent does between the user's commands: runs what is due, answers its messages. */
  async function agentsTurn(): Promise<void> {
    if (!node || !agent) return;
    for (const associationId of await node.due()) {
      expect(await node.run(associationId, "Success")).toEqual([200, 200, 200, 200]);
    }
    for (const message of await agent.poll()) {
      const payload = await agent.receive(message);
      if (payload) await agent.run(message, payload, shellOutcome({ stdout: UNAME }));
    }
  }

  it("has the steps: an activation, the node's registration, an association, Run Command", () => {
    expect(EXAMPLE.length).toBeGreaterThanOrEqual(4);
    expect(EXAMPLE.filter((block) => block.includes("amazon-ssm-agent"))).toHaveLength(1);
    const all = EXAMPLE.join("\n");
    for (const command of ["create-activation", "create-association", "send-command", "get-command-invocation"]) {
      expect(all).toContain(`aws ssm ${command}`);
    }
  });

  it("runs every block, from the activation to the node's association and command", { timeout: 180_000 }, async () => {
    let printed = "";
    for (const block of EXAMPLE) {
      if (block.includes("amazon-ssm-agent")) {
        // On the node, with the real agent: replayed with the activation the user was given.
        expect(commandsOf(block)[0]).toBe(
          'sudo amazon-ssm-agent -register -code "<ActivationCode>" -id "<ActivationId>" -region "us-east-1" -y',
        );
        const activation = {
          ActivationId: printed.match(/"ActivationId": "([^"]+)"/)?.[1] as string,
          ActivationCode: printed.match(/"ActivationCode": "([^"]+)"/)?.[1] as string,
        };
        expect(activation.ActivationId).toBeTruthy();
        expect(activation.ActivationCode).toBeTruthy();
        node = (await ManagedNode.enroll(activation)).via(server);
        agent = new ReplayedAgent(server, node.id, node.identity);
        continue;
      }
      const stdout = await shell.run(block);
      for (const pair of printedPairs(block)) expect(stdout, `${block}\nprinted:\n${stdout}`).toContain(pair);
      printed += stdout;
      await agentsTurn();
    }
    // The association ran on the node and the command reached it: the outputs above said so too.
    expect(node).toBeDefined();
    expect(printed).toContain('"Status": "Success"');
    expect(printed).toContain(JSON.stringify(UNAME).slice(1, -1));
  });
});
