/**
 * `npm run admin -- <command> [options]`: accounts and access keys, through the same store code
 * the service uses. It is not an HTTP endpoint: whoever can run it can reach the table.
 *
 * It uses the DynamoDB that `npm start` is running (found in DATA_DIR), or DYNAMODB_ENDPOINT, or
 * else starts the embedded DynamoDB Local on DATA_DIR for the duration of the command.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { config } from "../../shared/config.ts";
import { createRuntime, runtimeOptionsFrom } from "../../shared/runtime.ts";
import { dynamoDbClient } from "../../shared/store/dynamodb.ts";
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
