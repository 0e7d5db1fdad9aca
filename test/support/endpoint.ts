/**
 * The local endpoint for end-to-end tests: a fresh table and the real HTTP adapter, started before
 * the file's tests and closed after, plus the two ways tests talk to it besides the SDK: the
 * `aws` CLI and raw HTTP requests (signed or not).
 */
import { execFile } from "node:child_process";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll } from "vitest";
import { type LocalServer, startLocalServer } from "../../infra/local/server.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "./identity.ts";
import { freshTable, type TestTable } from "./table.ts";

export type LocalEndpoint = { readonly url: string; readonly host: string; readonly table: TestTable };

/** Starts the endpoint for the calling test file. */
export function useLocalEndpoint(): LocalEndpoint {
  let server: LocalServer | undefined;
  let table: TestTable | undefined;
  beforeAll(async () => {
    table = await freshTable();
    server = await startLocalServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the local endpoint is not started yet");
    return value;
  };
  return {
    get url() {
      return started(server).url;
    },
    get host() {
      return new URL(started(server).url).host;
    },
    get table() {
      return started(table);
    },
  };
}

/** The SDK v3 client as a user configures it for this endpoint (the default credentials unless given). */
export function sdkClient(
  url: string,
  options: { region?: string; identity?: Identity; maxAttempts?: number } = {},
): SSMClient {
  const identity = options.identity ?? DEFAULT_IDENTITY;
  return new SSMClient({
    endpoint: url,
    region: options.region ?? "us-east-1",
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}

export type CliResult = { code: number; stdout: string; stderr: string };

/** Runs `aws ssm <args>` against an endpoint; never rejects: the exit code tells. */
export function awsCli(
  url: string,
  args: string[],
  options: { identity?: Identity; region?: string; output?: "json" } = {},
): Promise<CliResult> {
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: identity.accessKeyId,
    AWS_SECRET_ACCESS_KEY: identity.secretAccessKey,
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  };
  delete env.AWS_PROFILE;
  if (identity.sessionToken) env.AWS_SESSION_TOKEN = identity.sessionToken;
  else delete env.AWS_SESSION_TOKEN;
  const region = options.region ?? "us-east-1";
  const output = options.output ? ["--output", options.output] : [];
  return new Promise((resolve) => {
    execFile(
      "aws",
      ["ssm", ...args, "--endpoint-url", url, "--region", region, ...output],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** A raw JSON 1.1 request, signed for the host the server sees unless `unsigned`. */
export async function postTo(
  endpoint: { url: string; host: string },
  operation: string,
  body: string,
  options: { unsigned?: boolean; identity?: Identity } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers = options.unsigned
    ? { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${operation}` }
    : await signedHeaders(operation, body, options.identity ?? DEFAULT_IDENTITY, { host: endpoint.host });
  const response = await fetch(`${endpoint.url}/`, { method: "POST", headers, body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
