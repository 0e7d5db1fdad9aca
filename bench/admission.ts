/**
 * `npx tsx bench/admission.ts`: how many requests `npm start` should work on at once
 * (ADMISSION_WORKING, infra/local/admission.ts), measured. For each limit W, `npm start` on a fresh
 * DynamoDB Local is driven by CALLERS closed-loop callers (each sends its next call when the
 * last is answered; half PutParameter with Overwrite, half GetParameter, as an operator's
 * script and a fleet mix reads and writes) for SECONDS seconds, with a line long and patient
 * enough that nothing is refused: the throughput at W, and by Little's law the time an admitted
 * request takes (W / throughput). Past the knee more at once adds no throughput, only latency.
 *
 *   npx tsx bench/admission.ts [--callers 256] [--seconds 10] [--working 4,8,16,32,64,128]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startDynamoDbLocal } from "../infra/local/dynamodb-local.ts";
import { SecretBox } from "../shared/auth/secret-box.ts";
import { sendRaw } from "../test/support/agent-http.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../test/support/identity.ts";
import { startEndpointProcess } from "./lib/environment.ts";

const { values } = parseArgs({
  options: {
    callers: { type: "string", default: "256" },
    seconds: { type: "string", default: "10" },
    working: { type: "string", default: "4,8,16,32,64,128" },
  },
});
const CALLERS = Number(values.callers);
const SECONDS = Number(values.seconds);
const LIMITS = (values.working as string).split(",").map(Number);
const NAMES = 1000;
/** One key for every server of the run: they share the table, and its account's secret is sealed with it. */
const CREDENTIALS_KEY = SecretBox.newKey();

type Row = { working: number; perSecond: number; admittedMs: number; p50Ms: number; p99Ms: number; errors: number };

async function measure(dynamodbEndpoint: string, working: number): Promise<Row> {
  const server = await startEndpointProcess(dynamodbEndpoint, CREDENTIALS_KEY, {
    ADMISSION_WORKING: String(working),
    ADMISSION_QUEUED: "100000",
    ADMISSION_MAX_WAIT_MS: "600000",
  });
  const host = new URL(server.url).host;
  const call = async (operation: string, members: Record<string, unknown>) => {
    const body = JSON.stringify(members);
    const headers = await signedHeaders(operation, body, DEFAULT_IDENTITY, { host });
    return sendRaw(server.url, headers, body);
  };
  try {
    for (let i = 0; i < NAMES; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          call("PutParameter", { Name: `/knee/p${i + k}`, Value: "v", Type: "String", Overwrite: true }),
        ),
      );
    }
    const latencies: number[] = [];
    let errors = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CALLERS }, async (_, caller) => {
        for (let n = 0; performance.now() < until; n++) {
          const name = `/knee/p${(caller * 7 + n) % NAMES}`;
          const started = performance.now();
          const answer =
            n % 2 === 0
              ? await call("PutParameter", { Name: name, Value: `v${n}`, Type: "String", Overwrite: true })
              : await call("GetParameter", { Name: name });
          latencies.push(performance.now() - started);
          if (answer.status !== 200) errors++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const perSecond = latencies.length / SECONDS;
    const at = (q: number) => Math.round(latencies[Math.floor(q * latencies.length)] ?? Number.NaN);
    return {
      working,
      perSecond: Math.round(perSecond),
      admittedMs: Math.round((working / perSecond) * 1000),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      errors,
    };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal({ startTimeoutMs: 120_000 });
  try {
    console.log(
      `${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}; ${CALLERS} callers`,
    );
    console.log(
      "| ADMISSION_WORKING | requests/s | admitted request ms (W / rate) | caller p50 ms | caller p99 ms | errors |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const working of LIMITS) {
      const row = await measure(dynamodb.endpoint, working);
      console.log(
        `| ${row.working} | ${row.perSecond} | ${row.admittedMs} | ${row.p50Ms} | ${row.p99Ms} | ${row.errors} |`,
      );
    }
    console.log(
      `load after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await dynamodb.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
