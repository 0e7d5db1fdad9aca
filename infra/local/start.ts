/**
 * `npm start`: DynamoDB Local (unless DYNAMODB_ENDPOINT names another DynamoDB), the table, and
 * the SSM endpoint, with a clean shutdown of both on Ctrl-C.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildConsole } from "../../console/build.ts";
import { config, MAX_MESSAGE_POLL_HOLD_SECONDS } from "../../shared/config.ts";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_SECRET_ACCESS_KEY,
} from "../../shared/domain/accounts/accounts.ts";
import { logLevelOf } from "../../shared/lib/request-log.ts";
import { createRuntime, installRuntime, runtimeOptionsFrom } from "../../shared/runtime.ts";
import { dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { ensureTable } from "../table/ensure-table.ts";
import { loadOrCreateCredentialsKey } from "./credentials-key.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local.ts";
import { startLoadProbe } from "./load-probe.ts";
import { schedulerSettings, startSchedulerTimer } from "./scheduler-timer.ts";
import { startLocalServer } from "./server.ts";

const port = Number(process.env.PORT || 4583);
const dataDir = resolve(process.env.DATA_DIR || ".data");
const tableName = process.env.TABLE_NAME || "open-state-manager";
const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1";
/** `npm start` holds an empty GetMessages up to the most allowed (MAX_MESSAGE_POLL_HOLD_SECONDS). */
const LOCAL_POLL_HOLD_MS = MAX_MESSAGE_POLL_HOLD_SECONDS * 1000;
/**
 * How long `npm start` trusts a queue it read empty (mailbox.ts): 5 minutes, a read every ~16
 * polls, unless MESSAGE_QUEUE_EMPTY_TRUST_SECONDS says otherwise (0: read at every poll).
 */
const LOCAL_EMPTY_QUEUE_TRUST_MS = Number(process.env.MESSAGE_QUEUE_EMPTY_TRUST_SECONDS ?? 300) * 1000;

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  let dynamodb: DynamoDbLocal | undefined;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    dynamodb = await startDynamoDbLocal({ dataDir });
    endpoint = dynamodb.endpoint;
  }
  // The handlers get the runtime a cold start would build from this environment; locally a poll
  // is held (and woken the moment a message is written for its node) unless told otherwise,
  // since holding costs nothing here (docs/runs.md, "The message channel").
  const settings = config();
  // A create hands a run too big for its request to the scheduler: the timer ticks at once.
  let kickScheduler = () => {};
  const services = createRuntime({
    ...runtimeOptionsFrom({
      ...settings,
      dynamodbEndpoint: endpoint,
      tableName,
      credentialsKey: process.env.CREDENTIALS_KEY || loadOrCreateCredentialsKey(dataDir),
      messagePollHoldMs:
        process.env.MESSAGE_POLL_HOLD_SECONDS === undefined ? LOCAL_POLL_HOLD_MS : settings.messagePollHoldMs,
      // A quiet terminal unless asked: LOG_LEVEL=info prints a JSON line per request.
      logLevel: logLevelOf(process.env.LOG_LEVEL, "warn"),
    }),
    // Every sender (API calls, the scheduler's timer) is in this process and wakes a held poll
    // through the in-process signal: a held poll reads its queue once, not every second, or a
    // fleet's held polls would be a DynamoDB read per node per second (issue 30, BENCHMARKS.md).
    // A message written by another process (a second server on the same table) waits for the
    // node's next poll, within one hold.
    messagePollRereadMs: LOCAL_POLL_HOLD_MS,
    runDeferred: () => kickScheduler(),
    // And a queue read empty, nothing sent to it since, is not read again for a while: most of a
    // fleet's requests are empty polls, which then cost no DynamoDB call (issue 30). A message
    // another process writes reaches its node within this and a hold.
    messageQueueEmptyTrustMs: LOCAL_EMPTY_QUEUE_TRUST_MS,
  });
  installRuntime(services);

  const client = dynamoDbClient(endpoint, region);
  const table = await ensureTable(client, tableName);
  await (await services.accounts()).ensureDefaults();
  // The web console is built afresh on every start (about a second), so it always matches the
  // code; into a folder of this process's own, so that instances side by side never share one.
  const built = await buildConsole(mkdtempSync(join(tmpdir(), "osm-console-")));
  const consoleOrigins = (process.env.CONSOLE_ORIGINS ?? "").split(",").filter(Boolean);
  const server = await startLocalServer({ port, consoleDir: built.dir, consoleOrigins });
  // Where a loaded server waits (infra/local/load-probe.ts), when asked (`npm run fleet` asks).
  const probeSeconds = Number(process.env.LOAD_PROBE_SECONDS);
  if (probeSeconds > 0) startLoadProbe(probeSeconds);
  const schedule = schedulerSettings();
  const timer = startSchedulerTimer(() => services.scheduler.tick(), schedule);
  kickScheduler = timer.kick;
  // `npm run admin` finds the running DynamoDB here instead of starting a second one on the same files.
  const endpointFile = join(dataDir, "dynamodb-endpoint");
  writeFileSync(endpointFile, endpoint);

  console.log(`open-state-manager is serving the SSM API at ${server.url}`);
  console.log(`  Console: ${server.url}/console/ (sign in with the access key below)`);
  console.log(`  DynamoDB: ${endpoint} (table ${tableName}, ${table})${dynamodb ? `, data in ${dataDir}` : ""}`);
  console.log(
    `  Credentials: access key ${DEFAULT_ACCESS_KEY_ID}, secret ${DEFAULT_SECRET_ACCESS_KEY} (account ${DEFAULT_ACCOUNT_ID})`,
  );
  console.log(`  Node.js: ${process.version}`);
  console.log(
    services.logLevel === "info" || services.logLevel === "debug"
      ? "  Log: a JSON line per request (LOG_LEVEL=warn for failures only)"
      : "  Log: failures only (LOG_LEVEL=info for a JSON line per request)",
  );
  console.log(
    schedule.enabled
      ? `  Scheduler: a tick every ${schedule.intervalMs / 1000} s (SCHEDULER=off to turn it off)`
      : "  Scheduler: off",
  );
  console.log("Try:");
  console.log(`  export AWS_ACCESS_KEY_ID=${DEFAULT_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${DEFAULT_SECRET_ACCESS_KEY}`);
  console.log(`  aws ssm list-documents --endpoint-url ${server.url} --region ${region}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping...");
    timer.stop();
    await server.close();
    rmSync(endpointFile, { force: true });
    rmSync(built.dir, { recursive: true, force: true });
    await dynamodb?.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  // `npm start` does not pass a SIGTERM on to us: when our parent is gone, stop as well, so that
  // neither this process nor DynamoDB Local is left behind.
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void stop();
    }
  }, 1000).unref();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
