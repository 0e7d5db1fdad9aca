/**
 * The product command as a user runs it: `npm start` with an embedded DynamoDB Local, twice side
 * by side, data kept across a restart, and nothing left running after a stop. It runs on the
 * `node` first on the PATH, as npm does: .ci/run runs this file on Node.js 22 as well as 24.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/dynamodb-local.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";

const started: ChildProcess[] = [];

/** package.json's engines (Node.js 22 or later); CI runs this file on 22 and 24. */
const SUPPORTED_NODE = Number(process.versions.node.split(".")[0]) >= 22;

async function npmStart(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  // Without the test run's own silencing of the SDK's notice for old Node versions (vitest.config.ts),
  // so that a warning npm start prints is seen here.
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...environment } = process.env;
  const child = spawn("npm", ["start"], {
    env: {
      ...environment,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: "",
      TABLE_NAME: "",
      CREDENTIALS_KEY: "",
      LOG_LEVEL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that cleanup reaches npm, the shell it starts, node and java.
    detached: true,
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 40_000;
  // The banner's last line: its lines reach the pipe as separate writes, so the first alone does
  // not mean the rest (the DynamoDB line this test reads) has arrived.
  while (!output.includes("aws ssm list-documents")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

/** The JSON lines npm start wrote, one per request. */
function requestLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

// biome-ignore lint/suspicious/noExplicitAny: reads response members freely
async function ssm(port: number, operation: string, body: unknown): Promise<{ status: number; body: any }> {
  const text = JSON.stringify(body);
  // Signed with the default credentials that npm start creates on first start.
  const headers = await signedHeaders(operation, text, DEFAULT_IDENTITY, { host: `127.0.0.1:${port}` });
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: { ...headers, "user-agent": "open-state-manager-tests" },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

function javaProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", `dbPath ${dataDir}`], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterAll(async () => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

describe("npm start", () => {
  it("serves two instances side by side, keeps data across a restart, and leaves nothing running", async () => {
    const [dirA, dirB] = [mkdtempSync(join(tmpdir(), "osm-a-")), mkdtempSync(join(tmpdir(), "osm-b-"))];
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([npmStart(portA, dirA), npmStart(portB, dirB)]);
    expect(a.output()).toContain(`aws ssm list-documents --endpoint-url http://127.0.0.1:${portA}`);
    expect(a.output()).toContain("access key test, secret test (account 000000000000)");
    // The web console, built by npm start, next to the API.
    expect(a.output()).toContain(`Console: http://127.0.0.1:${portA}/console/`);
    const page = await fetch(`http://127.0.0.1:${portA}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>State Manager console</title>");

    const content = JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "a" }] });
    expect((await ssm(portA, "CreateDocument", { Name: "kept", Content: content })).status).toBe(200);
    // The other instance has its own DynamoDB Local and data.
    expect((await ssm(portB, "DescribeDocument", { Name: "kept" })).body.__type).toBe("InvalidDocument");
    expect(javaProcessesFor(dirA)).toHaveLength(1);
    // The Node.js it runs on (this test's own: the one on the PATH), and no warning of any kind
    // (the SDK's "please upgrade to node >=22", a deprecation) where that Node.js is supported.
    expect(a.output()).toContain(`Node.js: ${process.version}`);
    if (SUPPORTED_NODE) expect(a.output()).not.toMatch(/warning/i);

    await Promise.all([stop(a.child), stop(b.child)]);
    await eventually(() => javaProcessesFor(dirA).length === 0 && javaProcessesFor(dirB).length === 0);

    // Quiet by default: the banner, and no line per request.
    expect(a.output()).toContain("Log: failures only (LOG_LEVEL=info for a JSON line per request)");
    expect(a.output()).not.toMatch(/^\{/m);

    const again = await npmStart(portA, dirA, { LOG_LEVEL: "info" });
    expect(again.output()).toContain("existing");
    expect((await ssm(portA, "DescribeDocument", { Name: "kept" })).body.Document.Name).toBe("kept");
    expect((await ssm(portA, "DescribeDocument", { Name: "missing" })).status).toBe(400);
    // With LOG_LEVEL=info, one JSON line per request on stdout, with who, what, outcome and cost.
    await eventually(() => requestLines(again.output()).length === 2);
    const [found, refused] = requestLines(again.output());
    expect(found).toMatchObject({
      level: "info",
      operation: "DescribeDocument",
      account: "000000000000",
      region: "us-east-1",
      principal: "arn:aws:iam::000000000000:root",
      accessKeyId: "test",
      sourceIp: "127.0.0.1",
      userAgent: "open-state-manager-tests",
      status: 200,
      dynamodbCalls: expect.any(Number),
      consumedCapacity: expect.any(Number),
    });
    expect(Date.parse(found?.time as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(found?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(found?.latencyMs).toBeGreaterThan(0);
    expect(found?.errorCode).toBeUndefined();
    expect(refused).toMatchObject({ operation: "DescribeDocument", status: 400, errorCode: "InvalidDocument" });
    await stop(again.child);
    await eventually(() => javaProcessesFor(dirA).length === 0);
  }, 120_000);
});
