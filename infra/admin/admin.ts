/**
 * `npm run admin -- <command> [options]`: accounts and access keys, and the audit trail, through
 * the same store code the service uses. It is not an HTTP endpoint: whoever can run it can reach the table.
 *
 * It uses the DynamoDB that `npm start` is running (found in DATA_DIR), or DYNAMODB_ENDPOINT, or
 * else starts the embedded DynamoDB Local on DATA_DIR for the duration of the command.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { config } from "../../shared/config.ts";
import type { AuditEventRecord, AuditRoutineRecord } from "../../shared/domain/audit/records.ts";
import { createRuntime, runtimeOptionsFrom } from "../../shared/runtime.ts";
import { auditTrail } from "../../shared/services/audit.ts";
import { dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { DynamoNodeStore } from "../../shared/store/node-store.ts";
import { loadOrCreateCredentialsKey } from "../local/credentials-key.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../table/ensure-table.ts";

const USAGE = `usage: npm run admin -- <command> [options]

commands:
  create-account [--account-id <12 digits>] [--name <text>]
  list-accounts
  create-access-key --account-id <id>          prints the secret once; it is never shown again
  list-access-keys [--account-id <id>]
  disable-access-key --access-key-id <id>
  enable-access-key --access-key-id <id>
  delete-access-key --access-key-id <id>
  index-node-tags                              once, after upgrading a table written before issue 30:
                                               every node's tags into the node tag index (which
                                               tag targets and tag filters read)
  audit --since <1h | 30m | 7d | ISO-8601 time> [--account <id>] [--operation <name>]
                                               the audit trail: mutating requests, successful or
                                               refused (kept 90 days), and the count of nodes'
                                               routine calls

environment: DATA_DIR, DYNAMODB_ENDPOINT, TABLE_NAME, CREDENTIALS_KEY (as for npm start);
for a deployed stack: DYNAMODB_ENDPOINT=https://dynamodb.<region>.amazonaws.com, TABLE_NAME=<TableName>,
CREDENTIALS_KEY_SECRET_ARN=<the stack's CredentialsKeySecret>, with AWS credentials that may use them`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "account-id": { type: "string" },
      "access-key-id": { type: "string" },
      name: { type: "string" },
      since: { type: "string" },
      account: { type: "string" },
      operation: { type: "string" },
      help: { type: "boolean" },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }

  const dataDir = resolve(process.env.DATA_DIR || ".data");
  mkdirSync(dataDir, { recursive: true });
  const running = join(dataDir, "dynamodb-endpoint");
  let dynamodb: DynamoDbLocal | undefined;
  let endpoint = process.env.DYNAMODB_ENDPOINT || (existsSync(running) ? readFileSync(running, "utf8").trim() : "");
  if (!endpoint) {
    dynamodb = await startDynamoDbLocal({ dataDir });
    endpoint = dynamodb.endpoint;
  }
  const settings = config();
  const options = runtimeOptionsFrom({
    ...settings,
    dynamodbEndpoint: endpoint,
    // Deployed tables use the stack's secret (CREDENTIALS_KEY_SECRET_ARN); local ones the key file.
    credentialsKey:
      settings.credentialsKey ?? (settings.credentialsKeySecretArn ? undefined : loadOrCreateCredentialsKey(dataDir)),
  });

  try {
    await ensureTable(dynamoDbClient(endpoint, settings.tableRegion), options.tableName);
    const admin = await createRuntime(options).accounts();
    const need = (name: "account-id" | "access-key-id"): string => {
      const value = values[name];
      if (!value) throw new UsageError(`${command} needs --${name}`);
      return value;
    };
    switch (command) {
      case "create-account":
        print(await admin.createAccount(values["account-id"], values.name));
        break;
      case "list-accounts":
        print({ Accounts: await admin.listAccounts() });
        break;
      case "create-access-key":
        print({ AccessKey: await admin.createAccessKey(need("account-id")) });
        break;
      case "list-access-keys":
        print({ AccessKeys: await admin.listAccessKeys(values["account-id"]) });
        break;
      case "disable-access-key":
        await admin.setAccessKeyStatus(need("access-key-id"), "Inactive");
        break;
      case "enable-access-key":
        await admin.setAccessKeyStatus(need("access-key-id"), "Active");
        break;
      case "delete-access-key":
        await admin.deleteAccessKey(need("access-key-id"));
        break;
      case "index-node-tags":
        print(await new DynamoNodeStore(options.db, options.tableName).indexAllTags());
        break;
      case "audit": {
        if (!values.since) throw new UsageError("audit needs --since");
        const since = sinceTime(values.since, new Date());
        const trail = createRuntime(options).get(auditTrail);
        print(
          auditReport(await trail.read({ since, ...(values.account ? { accountId: values.account } : {}) }), {
            since,
            operation: values.operation,
          }),
        );
        break;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
    return 0;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    if (error instanceof UsageError) console.error(USAGE);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await dynamodb?.stop();
  }
}

class UsageError extends Error {}

/** `1h`, `30m`, `7d`, `90s` before now, or an ISO-8601 time, as an ISO-8601 instant. */
function sinceTime(text: string, now: Date): string {
  const relative = /^(\d+)([smhd])$/.exec(text);
  const seconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
  const time = relative
    ? new Date(now.getTime() - Number(relative[1]) * seconds[relative[2] as keyof typeof seconds] * 1000)
    : new Date(text);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--since ${text}: give 1h, 30m, 7d or an ISO-8601 time`);
  return time.toISOString();
}

/** The trail as an operator reads it: the events oldest first, and the nodes' routine calls summed. */
function auditReport(
  read: { events: AuditEventRecord[]; routine: AuditRoutineRecord[] },
  filter: { since: string; operation: string | undefined },
) {
  const wanted = (operation: string) => !filter.operation || operation === filter.operation;
  const routine = new Map<string, Record<string, string | number>>();
  for (const record of read.routine) {
    for (const count of record.Counts.filter((c) => wanted(c.Operation))) {
      const key = [record.AccountId, record.Region, count.NodeId, count.Operation].join("#");
      const sum = routine.get(key) ?? {
        AccountId: record.AccountId,
        Region: record.Region,
        NodeId: count.NodeId,
        Operation: count.Operation,
        Calls: 0,
        Refused: 0,
      };
      sum.Calls = Number(sum.Calls) + count.Calls;
      sum.Refused = Number(sum.Refused) + count.Refused;
      routine.set(key, sum);
    }
  }
  return {
    Since: filter.since,
    Events: read.events
      .filter((event) => wanted(event.Operation))
      .map(({ Parameters, ExpiresAt: _, ...event }) => ({ ...event, Parameters: JSON.parse(Parameters) })),
    RoutineCalls: [...routine.values()],
  };
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
