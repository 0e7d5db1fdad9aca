/**
 * What the benchmark runs against: DynamoDB Local (in memory), the table, the service's runtime
 * built through the composition root on a metered DynamoDB client (in this process, for the
 * in-process pass and the fixtures), the endpoint `npm start` serves, the bare server (an
 * operation's DynamoDB calls behind HTTP and nothing else: bench/bare-server.ts), and moto_server (from
 * Python, on a free port) when it is installed.
 *
 * The endpoint is `npm start` itself (infra/local/start.ts), in a process of its own on the same
 * DynamoDB Local and table, as a user runs it, and as moto_server runs in its own: in this
 * process, the load generator's SDK client and the server would take turns on one thread, a
 * handicap neither a deployment nor the peer has.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import type { LocalServer } from "../../infra/local/server.ts";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { createRuntime, installRuntime, type RuntimeOptions, type Services } from "../../shared/runtime.ts";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { FakeAgent } from "../../test/support/agent.ts";
import { DEFAULT_IDENTITY, type Identity } from "../../test/support/identity.ts";
import { call } from "../../test/support/invoke.ts";
import { type BareServer, startBareServer } from "./bare.ts";
import { servingUrl } from "./child.ts";
import { type CpuProbe, cpuProbe } from "./cpu.ts";
import { DynamoMeter } from "./meter.ts";

export const TABLE = "bench";
export const REGION = "us-east-1";
/** Raised far above AWS's 2,000 so the scale curves can reach 10,000 associations in one account. */
export const ASSOCIATION_LIMIT = 50_000;

export type Environment = {
  dynamodb: DynamoDbLocal;
  /** The stores' low-level DynamoDB client (dynamoDbClient) on the same DynamoDB Local, for the raw baselines. */
  raw: DynamoDBClient;
  db: DynamoDBDocumentClient;
  meter: DynamoMeter;
  options: RuntimeOptions;
  services: Services;
  server: EndpointProcess;
  /** A server that adds nothing of its own, making an operation's calls (bench/bare-server.ts). */
  bare: BareServer;
  moto: { endpoint: string; process: ChildProcess } | undefined;
  /** The CPU time each process of the run has taken so far (bench/lib/cpu.ts). */
  cpu: CpuProbe;
  close: () => Promise<void>;
};

export async function startEnvironment(): Promise<Environment> {
  const dynamodb = await startDynamoDbLocal();
  const raw = dynamoDbClient(dynamodb.endpoint, REGION);
  await ensureTable(raw, TABLE);
  const db = documentClient(dynamodb.endpoint, REGION);
  const meter = new DynamoMeter();
  meter.attach(db);
  const credentialsKey = SecretBox.newKey();
  const options: RuntimeOptions = {
    db,
    tableName: TABLE,
    secretBox: SecretBox.fromBase64(credentialsKey),
    associationLimit: ASSOCIATION_LIMIT,
  };
  const services = createRuntime(options);
  installRuntime(services);
  await (await services.accounts()).ensureDefaults();
  const server = await startEndpointProcess(dynamodb.endpoint, credentialsKey);
  const moto = await startMoto();
  const bare = await startBareServer(dynamodb.endpoint, REGION);
  return {
    dynamodb,
    raw,
    db,
    meter,
    options,
    services,
    server,
    bare,
    moto,
    cpu: cpuProbe({ server: [server.pid, bare.pid], dynamodb: dynamodb.pid, moto: moto?.process.pid }),
    // Each emulator is stopped even when another one fails to.
    close: async () => {
      moto?.process.kill("SIGKILL");
      await Promise.allSettled([server.close(), bare.close(), dynamodb.stop()]);
    },
  };
}

/** The endpoint's process: where it serves, and its id (for the CPU it takes). */
export type EndpointProcess = Omit<LocalServer, "admission"> & { pid: number | undefined; child: ChildProcess };

/**
 * `npm start` on this DynamoDB Local and table, with the same credentials key, on a free port;
 * `env` adds to or overrides its settings (the fleet's log level and poll hold).
 */
export async function startEndpointProcess(
  dynamodbEndpoint: string,
  credentialsKey: string,
  env: Record<string, string> = {},
): Promise<EndpointProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "osm-bench-"));
  const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      TABLE_NAME: TABLE,
      AWS_REGION: REGION,
      CREDENTIALS_KEY: credentialsKey,
      ASSOCIATION_LIMIT: String(ASSOCIATION_LIMIT),
      SCHEDULER: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await servingUrl(child, /serving the SSM API at (\S+)/, "npm start");
  return {
    url,
    port,
    pid: child.pid,
    child,
    close: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startMoto(): Promise<{ endpoint: string; process: ChildProcess } | undefined> {
  if (spawnSync("which", ["moto_server"]).status !== 0) return undefined;
  const port = await freePort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
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

/** The SDK v3 client a user points at an endpoint; one attempt, so an error is seen, not retried. */
export function ssmClient(endpoint: string, identity: Identity = DEFAULT_IDENTITY): SSMClient {
  return new SSMClient({
    endpoint,
    region: REGION,
    maxAttempts: 1,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
  });
}

/** A new account with its own access key (so write benchmarks never meet a per-account quota). */
export async function newAccount(env: Environment, name: string): Promise<Identity> {
  const accounts = await env.services.accounts();
  const account = await accounts.createAccount(undefined, name);
  const key = await accounts.createAccessKey(account.AccountId);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: REGION };
}

/**
 * A managed node registered as the SSM Agent registers (activation, RSA key, role token) in the
 * account of `identity`, tagged, reporting its platform; returns its id and node credentials.
 */
export async function registerNode(
  identity: Identity,
  tags: { Key: string; Value: string }[],
): Promise<{ id: string; identity: Identity }> {
  const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" }, { identity });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  const token = (await agent.roleToken()).body;
  const node: Identity = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
    region: REGION,
  };
  const id = agent.instanceId as string;
  await call(
    "UpdateInstanceInformation",
    { InstanceId: id, PlatformType: "Linux", PlatformName: "Ubuntu", AgentVersion: "3.3.987.0" },
    { identity: node },
  );
  await call("AddTagsToResource", { ResourceType: "ManagedInstance", ResourceId: id, Tags: tags }, { identity });
  return { id, identity: node };
}
