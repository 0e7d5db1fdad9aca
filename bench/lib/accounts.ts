/**
 * Big accounts (issue 30): 1,000, 10,000 and 100,000 registered nodes and 2,000 associations in
 * one account, and what the operations an operator, the console and the scheduler send cost at
 * each size: DescribeInstanceInformation's pages and filters, ListAssociations,
 * DescribeInstanceAssociationsStatus, the run of a tag-targeted association (StartAssociationsOnce
 * and the scheduler's tick). Each size is an account of its own in one table on DynamoDB Local
 * (in memory, this process's own: no endpoint is needed, every request goes to the real handler
 * in process, signed, as the bench's in-process pass does), measured one request after another
 * going round the sizes (the machine's speed drifts over minutes: every size sees the same
 * moments). Per request: wall time, its DynamoDB calls and the capacity DynamoDB reports.
 *
 * Seeding, fast and faithful: the nodes as registration writes them, through the node store's own
 * item builders (test/support/seed-nodes.ts: node, identity, one NodeTag per tag), as
 * BatchWriteItem of 25, 16 batches in flight; the 2,000 associations through the real
 * CreateAssociationBatch handler, one request (each a tag target on one of 100 groups, daily at
 * an hour half a day away with ApplyOnlyAtCronInterval, so none runs while measured).
 */
import type { Context } from "aws-lambda";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { createRuntime, installRuntime, type Services } from "../../shared/runtime.ts";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";
import type { Identity } from "../../test/support/identity.ts";
import { call, handlerOf, signedEvent } from "../../test/support/invoke.ts";
import { seedNodes } from "../../test/support/seed-nodes.ts";
import { percentile } from "./load.ts";
import { DynamoMeter, dynamoTime, type Tally } from "./meter.ts";

export type AccountsSettings = { sizes: number[]; associations: number; requests: number; runRequests: number };

export type AccountsCell = {
  nodes: number;
  p50: number;
  p99: number;
  /** DynamoDB time (calls in flight) p50. */
  dynamoP50: number;
  /** DynamoDB calls of one request (the last measured), and as a list. */
  calls: number;
  callList: string;
  /** Capacity units DynamoDB reported consumed, per request (the last measured). */
  capacity: number;
  /** What the request answered: items listed, and whether it gave a NextToken. */
  answered: string;
};

export type AccountsRow = { operation: string; what: string; goal: string; cells: AccountsCell[] };

export type AccountsResult = AccountsSettings & {
  seeding: { nodes: number; items: number; seconds: number; associationsSeconds: number }[];
  rows: AccountsRow[];
  measured: { date: string; node: string; loadAverage: { before: number[]; after: number[] }; command: string };
};

const TABLE = "bench-accounts";
const REGION = "us-east-1";
const GROUPS = 100;
const WEB = 10;

type Op = {
  operation: string;
  what: string;
  goal: string;
  /** The request, per account. */
  request: (a: SeededAccount) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Not the handler: the scheduler's tick (the account's due association made before each). */
  tick?: boolean;
  /** Not a request: the targets of an association on `InstanceIds=*` resolved (a run's first read). */
  everyNode?: boolean;
  requests?: number;
};

type SeededAccount = {
  nodes: number;
  accountId: string;
  identity: Identity;
  ids: string[];
  web: string[];
  webAssociation: string;
  groupAssociation: string;
  firstPageToken?: string;
};

const role = (i: number) => (i < WEB ? "web" : "app");

export async function bigAccounts(settings: AccountsSettings, command: string): Promise<AccountsResult> {
  const before = (await import("node:os")).loadavg();
  const dynamodb = await startDynamoDbLocal();
  try {
    await ensureTable(dynamoDbClient(dynamodb.endpoint, REGION), TABLE);
    const db = documentClient(dynamodb.endpoint, REGION);
    const meter = new DynamoMeter();
    meter.attach(db);
    const services = createRuntime({
      db,
      tableName: TABLE,
      secretBox: SecretBox.fromBase64(SecretBox.newKey()),
      associationLimit: settings.associations + 100,
    });
    installRuntime(services);
    await (await services.accounts()).ensureDefaults();

    const accounts: SeededAccount[] = [];
    const seeding: AccountsResult["seeding"] = [];
    for (const nodes of settings.sizes) {
      const { identity, accountId } = await newAccount(services, `bench-accounts-${nodes}`);
      const scope = { accountId, region: REGION };
      const started = performance.now();
      const ids = await seedNodes(db, TABLE, scope, nodes, {
        tags: (i) => [
          { Key: "role", Value: role(i) },
          { Key: "group", Value: `g${i % GROUPS}` },
        ],
        inFlight: 16,
      });
      const seconds = (performance.now() - started) / 1000;
      const daily = `cron(0 ${(new Date().getUTCHours() + 12) % 24} * * ? *)`;
      const base = {
        Name: "AWS-RunShellScript",
        Parameters: { commands: ["echo hello"] },
        ScheduleExpression: daily,
        ApplyOnlyAtCronInterval: true,
      };
      const associationsStarted = performance.now();
      const batch = await call(
        "CreateAssociationBatch",
        {
          Entries: Array.from({ length: settings.associations }, (_, i) => ({
            ...base,
            Targets: [{ Key: "tag:group", Values: [`g${i % GROUPS}`] }],
          })),
        },
        { identity },
      );
      if ((batch.Failed ?? []).length > 0) throw new Error(`seeding: ${JSON.stringify(batch.Failed[0])}`);
      const web = await call(
        "CreateAssociation",
        { ...base, Targets: [{ Key: "tag:role", Values: ["web"] }] },
        { identity },
      );
      const associationsSeconds = (performance.now() - associationsStarted) / 1000;
      const group = batch.Successful.find(
        (a: { Targets: { Values: string[] }[] }) => a.Targets[0]?.Values[0] === "g7",
      ) as { AssociationId: string };
      seeding.push({ nodes, items: nodes * 4, seconds, associationsSeconds });
      console.log(
        `  ${nodes} nodes seeded in ${seconds.toFixed(1)} s (${((nodes * 4) / seconds).toFixed(0)} items/s), ${settings.associations + 1} associations in ${associationsSeconds.toFixed(1)} s`,
      );
      accounts.push({
        nodes,
        accountId,
        identity,
        ids,
        web: ids.filter((_, i) => role(i) === "web"),
        webAssociation: web.AssociationDescription.AssociationId,
        groupAssociation: group.AssociationId,
      });
    }
    for (const a of accounts) {
      a.firstPageToken = (
        await call("DescribeInstanceInformation", { MaxResults: 50 }, { identity: a.identity })
      ).NextToken;
      // The first listed association has a run in every account, so each first page of
      // ListAssociations reads its runs (a batch more than a page without any): the same work.
      const [first] = (await call("ListAssociations", { MaxResults: 1 }, { identity: a.identity })).Associations;
      await call("StartAssociationsOnce", { AssociationIds: [first.AssociationId] }, { identity: a.identity });
    }

    const ops: Op[] = [
      {
        operation: "DescribeInstanceInformation",
        what: "the console's nodes page (MaxResults 25)",
        goal: "flat",
        request: () => ({ MaxResults: 25 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "page 2 (MaxResults 50, NextToken)",
        goal: "flat",
        request: (a) => ({ MaxResults: 50, NextToken: a.firstPageToken }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: `tag:role=web (${WEB} nodes match)`,
        goal: "flat",
        request: () => ({ Filters: [{ Key: "tag:role", Values: ["web"] }] }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "tag:group=g7 (1% of the nodes match), MaxResults 5",
        goal: "flat",
        request: () => ({ Filters: [{ Key: "tag:group", Values: ["g7"] }], MaxResults: 5 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "tag-key=group (every node), MaxResults 50",
        goal: "flat",
        request: () => ({ Filters: [{ Key: "tag-key", Values: ["group"] }], MaxResults: 50 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "PingStatus=Online (every node), MaxResults 50",
        goal: "flat",
        request: () => ({ Filters: [{ Key: "PingStatus", Values: ["Online"] }], MaxResults: 50 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "PlatformTypes=Windows (no node): a bounded read, then a NextToken",
        goal: "bounded",
        request: () => ({ Filters: [{ Key: "PlatformTypes", Values: ["Windows"] }], MaxResults: 50 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "AssociationStatus=Failed (no node): a bounded read, then a NextToken",
        goal: "bounded",
        request: () => ({ Filters: [{ Key: "AssociationStatus", Values: ["Failed"] }], MaxResults: 50 }),
      },
      {
        operation: "DescribeInstanceInformation",
        what: "InstanceIds (5 ids)",
        goal: "flat",
        request: (a) => ({ Filters: [{ Key: "InstanceIds", Values: a.ids.slice(0, 5) }] }),
      },
      {
        operation: "ListAssociations",
        what: "first page (MaxResults 50)",
        goal: "flat",
        request: () => ({ MaxResults: 50 }),
      },
      {
        operation: "ListAssociations",
        what: "AssociationName filter no association matches: a bounded read, then a NextToken",
        goal: "bounded",
        request: () => ({ MaxResults: 50, AssociationFilterList: [{ key: "AssociationName", value: "none" }] }),
      },
      {
        operation: "DescribeInstanceAssociationsStatus",
        what: "a node's statuses (a tagged node, none reported yet)",
        goal: "flat",
        request: (a) => ({ InstanceId: a.web[0] }),
      },
      {
        operation: "StartAssociationsOnce",
        what: `a run of tag:role=web (${WEB} nodes), pushed`,
        goal: "flat",
        request: (a) => ({ AssociationIds: [a.webAssociation] }),
      },
      {
        operation: "Scheduler tick",
        what: `one due association (tag:role=web, ${WEB} nodes)`,
        goal: "flat",
        tick: true,
        request: () => ({}),
      },
      {
        operation: "a run's targets",
        what: "InstanceIds=* resolved (the run targets every node: read only, not written)",
        goal: "grows with the run's targets only",
        everyNode: true,
        request: () => ({}),
        requests: settings.runRequests,
      },
      {
        operation: "StartAssociationsOnce",
        what: "a run of tag:group=g7 (1% of the nodes), pushed",
        goal: "grows with the run's targets only",
        request: (a) => ({ AssociationIds: [a.groupAssociation] }),
        requests: settings.runRequests,
      },
    ];

    const samples = ops.map(() =>
      accounts.map(() => ({ times: [] as number[], dynamo: [] as number[], last: undefined as Last | undefined })),
    );
    const rounds = Math.max(...ops.map((op) => op.requests ?? settings.requests));
    // One warm-up request of each, then the rounds, going round the sizes.
    for (let round = -1; round < rounds; round++) {
      for (const [o, op] of ops.entries()) {
        if (round >= (op.requests ?? settings.requests)) continue;
        for (const [s, account] of accounts.entries()) {
          const measured = op.tick
            ? await meteredTick(services, meter, account)
            : op.everyNode
              ? await meteredEveryNode(services, meter, account)
              : await meteredCall(meter, op.operation, await op.request(account), account.identity);
          if (round < 0) continue;
          const cell = samples[o]?.[s];
          if (!cell) continue;
          cell.times.push(measured.ms);
          cell.dynamo.push(dynamoTime(measured.tally));
          cell.last = measured;
        }
      }
    }
    const sorted = (values: number[] = []) => [...values].sort((a, b) => a - b);
    const rows: AccountsRow[] = ops.map((op, o) => ({
      operation: op.operation,
      what: op.what,
      goal: op.goal,
      cells: accounts.map((account, s) => {
        const cell = samples[o]?.[s];
        const last = cell?.last;
        return {
          nodes: account.nodes,
          p50: percentile(sorted(cell?.times), 50),
          p99: percentile(sorted(cell?.times), 99),
          dynamoP50: percentile(sorted(cell?.dynamo), 50),
          calls: last?.tally.calls.length ?? 0,
          callList: last ? callList(last.tally) : "",
          capacity: last ? capacityOf(last.tally) : 0,
          answered: last?.answered ?? "",
        };
      }),
    }));
    return {
      ...settings,
      seeding,
      rows,
      measured: {
        date: new Date().toISOString(),
        node: process.version,
        loadAverage: { before, after: (await import("node:os")).loadavg() },
        command,
      },
    };
  } finally {
    await dynamodb.stop();
  }
}

type Last = { ms: number; tally: Tally; answered: string };

async function meteredCall(
  meter: DynamoMeter,
  operation: string,
  request: Record<string, unknown>,
  identity: Identity,
): Promise<Last> {
  const handler = await handlerOf(operation);
  const event = await signedEvent(operation, JSON.stringify(request), { identity });
  const run = await meter.run(() => handler(event, {} as Context));
  if (run.result.statusCode !== 200) throw new Error(`${operation}: ${run.result.statusCode} ${run.result.body}`);
  return { ms: run.ms, tally: run.tally, answered: answeredOf(JSON.parse(run.result.body)) };
}

/** A tick with one association of this account due: made due (at a past time) first, not metered. */
async function meteredTick(services: Services, meter: DynamoMeter, account: SeededAccount): Promise<Last> {
  const past = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
  const created = await call(
    "CreateAssociation",
    {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo due"] },
      Targets: [{ Key: "tag:role", Values: ["web"] }],
      ScheduleExpression: `at(${past})`,
      ApplyOnlyAtCronInterval: true,
    },
    { identity: account.identity },
  );
  const run = await meter.run(() => services.scheduler.tick());
  // Gone again, so the rounds leave the account as it was (ListAssociations reads its heads).
  await call(
    "DeleteAssociation",
    { AssociationId: created.AssociationDescription.AssociationId },
    {
      identity: account.identity,
    },
  );
  return { ms: run.ms, tally: run.tally, answered: `started ${run.result.started}, due ${run.result.due}` };
}

/** What a run of an `InstanceIds=*` association reads first: its targets, every node of the account. */
async function meteredEveryNode(services: Services, meter: DynamoMeter, account: SeededAccount): Promise<Last> {
  const scope = { accountId: account.accountId, region: REGION };
  const run = await meter.run(() =>
    services.nodes.targetedNodeIds(scope, { Targets: [{ Key: "InstanceIds", Values: ["*"] }] }),
  );
  return { ms: run.ms, tally: run.tally, answered: `${run.result.length} targets` };
}

/** "50 listed, NextToken" and the like: what a request answered, in a few words. */
function answeredOf(body: Record<string, unknown>): string {
  const list = Object.values(body).find(Array.isArray) as unknown[] | undefined;
  const token = body.NextToken ? ", NextToken" : "";
  return list ? `${list.length} listed${token}` : "ok";
}

/** The calls by name, with their counts: "Query ×51, BatchGetItem". */
function callList(tally: Tally): string {
  const counts = new Map<string, number>();
  for (const c of tally.calls) counts.set(c.command, (counts.get(c.command) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(", ");
}

const capacityOf = (tally: Tally) => tally.calls.reduce((sum, c) => sum + (c.capacity ?? 0), 0);

async function newAccount(services: Services, name: string): Promise<{ identity: Identity; accountId: string }> {
  const accounts = await services.accounts();
  const account = await accounts.createAccount(undefined, name);
  const key = await accounts.createAccessKey(account.AccountId);
  return {
    identity: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: REGION },
    accountId: account.AccountId,
  };
}
