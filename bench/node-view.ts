/**
 * The node's view at scale: p50/p95 of DescribeEffectiveInstanceAssociations and
 * ListInstanceAssociations for one node while the account holds 100, 1,000 and 10,000
 * associations, none of which (but the node's own two) apply to it. Issue 13's goal: the p50 at
 * 10,000 within 1.2x of the p50 at 100 (the association index makes a node's view a few key
 * lookups, shared/store/association-index.ts).
 *
 * `nodeViewCurve(...)` is the measurement, for `npm run bench`; run standalone with
 * `npx tsx bench/node-view.ts` (NODE_VIEW_SIZES=100,1000 and NODE_VIEW_ROUNDS=100 change it):
 * it starts its own DynamoDB Local (in memory) and local endpoint on free ports.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoDbLocal } from "../infra/local/dynamodb-local.ts";
import { startLocalServer } from "../infra/local/server.ts";
import { ensureTable } from "../infra/table/ensure-table.ts";
import { SecretBox } from "../shared/auth/secret-box.ts";
import { createRuntime, installRuntime } from "../shared/runtime.ts";
import { documentClient, dynamoDbClientConfig } from "../shared/store/dynamodb.ts";
import { signedHeaders } from "../test/support/identity.ts";

/**
 * Sends one SSM operation (JSON 1.1) and resolves with its answer, failing on an error: the
 * agent's operations (ListInstanceAssociations, UpdateInstanceInformation) are not in the SDK's
 * client, so the caller brings its own signed sender (`signedSender` below is one).
 */
export type Send = (operation: string, request: Record<string, unknown>, region: string) => Promise<unknown>;

/** A sender signed with SigV4 (default: the local `test` key) for a local endpoint. */
export function signedSender(url: string, identity = { accessKeyId: "test", secretAccessKey: "test" }): Send {
  const host = new URL(url).host;
  return async (operation, request, region) => {
    const body = JSON.stringify(request);
    const headers = await signedHeaders(operation, body, { ...identity, region }, { host });
    const response = await fetch(`${url}/`, { method: "POST", headers, body });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
}

export type Percentiles = { p50: number; p95: number };
export type NodeViewPoint = {
  /** Associations in the account when measured. */
  associations: number;
  DescribeEffectiveInstanceAssociations: Percentiles;
  ListInstanceAssociations: Percentiles;
};

export type NodeViewOptions = {
  /** Sends to the endpoint, signed for an account whose association limit allows the largest size. */
  send: Send;
  /** Association counts to measure at, ascending (default 100, 1,000, 10,000). */
  sizes?: readonly number[];
  /** Calls per operation per size (default 100). */
  rounds?: number;
  /** How many creates are in flight while the account is filled (default 2: more only race on the account's counter). */
  concurrency?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
};

const NODE = "i-0be0c0000000000b1";
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Each size is its own Region of the account (Regions never see each other's associations), so
 * the sizes are measured round-robin, one call each in turn: a load that comes and goes on a
 * shared machine then weighs on every size alike instead of on whichever was measured during it.
 */
const REGIONS = ["us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1"];

/** Fills one Region per size with associations for other nodes, then measures one node's view in each. */
export async function nodeViewCurve(options: NodeViewOptions): Promise<NodeViewPoint[]> {
  const { send, sizes = [100, 1_000, 10_000], rounds = 100, concurrency = 2, log = () => {} } = options;
  if (sizes.length > REGIONS.length) throw new Error(`at most ${REGIONS.length} sizes`);
  const regions = sizes.map((_, i) => REGIONS[i] as string);
  for (const [i, size] of sizes.entries()) {
    const region = regions[i] as string;
    await send("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" }, region);
    await send(
      "AddTagsToResource",
      {
        ResourceType: "ManagedInstance",
        ResourceId: NODE,
        Tags: [
          { Key: "env", Value: "bench" },
          { Key: "team", Value: "view" },
        ],
      },
      region,
    );
    // The node's own two (one by id, one by tag), then others: tags and tag keys it lacks.
    const targetOf = (n: number) =>
      n === 0
        ? { Key: "InstanceIds", Values: [NODE] }
        : n === 1
          ? { Key: "tag:env", Values: ["bench"] }
          : n % 2 === 0
            ? { Key: "tag:env", Values: [`env-${n}`] }
            : { Key: "tag-key", Values: [`key-${n}`] };
    const started = Date.now();
    for (let created = 0; created < size; created += concurrency) {
      const batch = Math.min(concurrency, size - created);
      await Promise.all(
        Array.from({ length: batch }, (_, j) =>
          send("CreateAssociation", { Name: "AWS-GatherSoftwareInventory", Targets: [targetOf(created + j)] }, region),
        ),
      );
    }
    log(`node view: ${size} associations in ${region} (created in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const operations = {
    DescribeEffectiveInstanceAssociations: (region: string) =>
      send("DescribeEffectiveInstanceAssociations", { InstanceId: NODE, MaxResults: 5 }, region),
    ListInstanceAssociations: (region: string) => send("ListInstanceAssociations", { InstanceId: NODE }, region),
  };
  const times = sizes.map(() => ({
    DescribeEffectiveInstanceAssociations: [] as number[],
    ListInstanceAssociations: [] as number[],
  }));
  for (let round = -5; round < rounds; round++) {
    for (const [i, region] of regions.entries()) {
      for (const [name, run] of Object.entries(operations) as [
        keyof typeof operations,
        (r: string) => Promise<unknown>,
      ][]) {
        const start = process.hrtime.bigint();
        await run(region);
        // The first five rounds warm up (and let the first poll release the node's runs).
        if (round >= 0) times[i]?.[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  const summary = (values: number[]): Percentiles => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  return sizes.map((size, i) => ({
    associations: size,
    DescribeEffectiveInstanceAssociations: summary(times[i]?.DescribeEffectiveInstanceAssociations ?? []),
    ListInstanceAssociations: summary(times[i]?.ListInstanceAssociations ?? []),
  }));
}

/** The curve as a table, with the goal's ratio (p50 at the largest size / p50 at the smallest). */
export function nodeViewTable(points: readonly NodeViewPoint[]): string {
  const lines = ["associations  Effective p50  p95     ListInstance p50  p95"];
  for (const point of points) {
    const e = point.DescribeEffectiveInstanceAssociations;
    const l = point.ListInstanceAssociations;
    lines.push(
      [
        String(point.associations).padStart(12),
        e.p50.toFixed(2).padStart(15),
        e.p95.toFixed(2).padStart(7),
        l.p50.toFixed(2).padStart(19),
        l.p95.toFixed(2).padStart(7),
      ].join(""),
    );
  }
  const first = points[0];
  const last = points.at(-1);
  if (first && last && last !== first) {
    for (const name of ["DescribeEffectiveInstanceAssociations", "ListInstanceAssociations"] as const) {
      const ratio = last[name].p50 / first[name].p50;
      lines.push(
        `${name}: p50 at ${last.associations} / p50 at ${first.associations} = ${ratio.toFixed(2)} (goal <= 1.2: ${ratio <= 1.2 ? "met" : "MISSED"})`,
      );
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const sizes = (process.env.NODE_VIEW_SIZES ?? "100,1000,10000").split(",").map(Number);
  const rounds = Number(process.env.NODE_VIEW_ROUNDS ?? 100);
  const concurrency = Number(process.env.NODE_VIEW_CONCURRENCY ?? 2);
  const dynamodb = await startDynamoDbLocal();
  await ensureTable(new DynamoDBClient(dynamoDbClientConfig(dynamodb.endpoint, "us-east-1")), "bench");
  const services = createRuntime({
    db: documentClient(dynamodb.endpoint, "us-east-1"),
    tableName: "bench",
    secretBox: SecretBox.fromBase64(SecretBox.newKey()),
    associationLimit: Math.max(...sizes) + 10,
  });
  installRuntime(services);
  await (await services.accounts()).ensureDefaults();
  const server = await startLocalServer({ port: 0 });
  try {
    const points = await nodeViewCurve({
      send: signedSender(server.url),
      sizes,
      rounds,
      concurrency,
      log: (line) => console.log(line),
    });
    console.log(`rounds: ${rounds} per operation and size, times in ms`);
    console.log(nodeViewTable(points));
  } finally {
    await server.close();
    await dynamodb.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
