/**
 * `npm run bench`: latency of the Documents API through the local endpoint (HTTP adapter, real
 * handlers, DynamoDB Local in memory), with moto_server as a baseline when it is installed.
 * Targets are stated here and reported as met or missed; tests never time anything.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateDocumentCommand,
  DescribeDocumentCommand,
  GetDocumentCommand,
  ListDocumentsCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { freePort, startDynamoDbLocal } from "../infra/local/dynamodb-local.ts";
import { startLocalServer } from "../infra/local/server.ts";
import { ensureTable } from "../infra/table/ensure-table.ts";
import { SecretBox } from "../shared/auth/secret-box.ts";
import { createRuntime, installRuntime } from "../shared/runtime.ts";
import { documentClient, dynamoDbClientConfig } from "../shared/store/dynamodb.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
/** p95 targets in milliseconds, for the local endpoint on DynamoDB Local. */
const TARGETS_P95_MS: Record<string, number> = {
  CreateDocument: 60,
  GetDocument: 25,
  DescribeDocument: 25,
  ListDocuments: 40,
};

const content = (i: number) =>
  JSON.stringify({
    schemaVersion: "2.2",
    description: `bench ${i}`,
    mainSteps: [{ action: "aws:runShellScript", name: "run", inputs: { runCommand: [`echo ${i}`] } }],
  });

function client(endpoint: string): SSMClient {
  return new SSMClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

async function measure(rounds: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function suite(ssm: SSMClient): Promise<Record<string, number[]>> {
  const prefix = `bench-${Date.now().toString(36)}`;
  return {
    CreateDocument: await measure(ROUNDS, (i) =>
      ssm.send(new CreateDocumentCommand({ Name: `${prefix}-${i}`, Content: content(i), DocumentType: "Command" })),
    ),
    GetDocument: await measure(ROUNDS, (i) => ssm.send(new GetDocumentCommand({ Name: `${prefix}-${i}` }))),
    DescribeDocument: await measure(ROUNDS, (i) => ssm.send(new DescribeDocumentCommand({ Name: `${prefix}-${i}` }))),
    ListDocuments: await measure(Math.min(ROUNDS, 50), () =>
      ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "Owner", Values: ["Self"] }], MaxResults: 50 })),
    ),
  };
}

async function startMoto(): Promise<{ endpoint: string; process: ChildProcess } | undefined> {
  if (spawnSync("which", ["moto_server"]).status !== 0) return undefined;
  const port = await freePort();
  const child = spawn("moto_server", ["-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, process: child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  return undefined;
}

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  await ensureTable(new DynamoDBClient(dynamoDbClientConfig(dynamodb.endpoint, "us-east-1")), "bench");
  const services = createRuntime({
    db: documentClient(dynamodb.endpoint, "us-east-1"),
    tableName: "bench",
    secretBox: SecretBox.fromBase64(SecretBox.newKey()),
  });
  installRuntime(services);
  await (await services.accounts()).ensureDefaults();
  const server = await startLocalServer({ port: 0 });
  const moto = await startMoto();
  try {
    const ours = await suite(client(server.url));
    const baseline = moto ? await suite(client(moto.endpoint)) : undefined;
    console.log(`rounds: ${ROUNDS} (ListDocuments: ${Math.min(ROUNDS, 50)}), times in ms`);
    console.log("operation              ours p50  ours p95  target p95  verdict   moto p50  moto p95");
    let missed = 0;
    for (const [operation, times] of Object.entries(ours)) {
      const p95 = percentile(times, 95);
      const target = TARGETS_P95_MS[operation] ?? Number.POSITIVE_INFINITY;
      const verdict = p95 <= target ? "met" : "MISSED";
      if (p95 > target) missed++;
      const base = baseline?.[operation];
      console.log(
        [
          operation.padEnd(22),
          percentile(times, 50).toFixed(1).padStart(8),
          p95.toFixed(1).padStart(9),
          String(target).padStart(11),
          verdict.padStart(8),
          (base ? percentile(base, 50).toFixed(1) : "-").padStart(10),
          (base ? percentile(base, 95).toFixed(1) : "-").padStart(9),
        ].join(""),
      );
    }
    const memory = process.memoryUsage();
    console.log(
      `heap used after the run: ${(memory.heapUsed / 1024 / 1024).toFixed(1)} MiB, rss ${(memory.rss / 1024 / 1024).toFixed(1)} MiB`,
    );
    if (!moto) console.log("moto_server not found: no baseline");
    process.exitCode = missed > 0 ? 1 : 0;
  } finally {
    await server.close();
    moto?.process.kill();
    await dynamodb.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
