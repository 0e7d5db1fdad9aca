/** `npm run admin` as an operator runs it, against the table the service uses. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "../reliability/audit.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const run = promisify(execFile);
let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
});

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npm", ["run", "-s", "admin", "--", ...args], {
      env: {
        ...process.env,
        DYNAMODB_ENDPOINT: table.endpoint,
        TABLE_NAME: table.name,
        CREDENTIALS_KEY: table.credentialsKey,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("npm run admin", () => {
  it("creates an account and a key that signs requests; disables and deletes it", async () => {
    const account = JSON.parse((await admin("create-account", "--account-id", "333333333333", "--name", "ops")).stdout);
    expect(account).toMatchObject({ AccountId: "333333333333", Name: "ops" });
    const listed = JSON.parse((await admin("list-accounts")).stdout);
    expect(listed.Accounts.map((a: { AccountId: string }) => a.AccountId)).toContain("333333333333");

    const { AccessKey } = JSON.parse((await admin("create-access-key", "--account-id", "333333333333")).stdout);
    expect(AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey.SecretAccessKey).toHaveLength(40);
    const identity = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    expect((await invoke("ListDocuments", {}, { identity })).status).toBe(200);

    const keys = (await admin("list-access-keys", "--account-id", "333333333333")).stdout;
    expect(keys).toContain(AccessKey.AccessKeyId);
    expect(keys).not.toContain(AccessKey.SecretAccessKey);

    expect((await admin("disable-access-key", "--access-key-id", AccessKey.AccessKeyId)).code).toBe(0);
    expect(
      JSON.parse((await admin("list-access-keys", "--account-id", "333333333333")).stdout).AccessKeys[0].Status,
    ).toBe("Inactive");
    expect((await admin("enable-access-key", "--access-key-id", AccessKey.AccessKeyId)).code).toBe(0);
    expect((await admin("delete-access-key", "--access-key-id", AccessKey.AccessKeyId)).code).toBe(0);
    expect((await admin("list-access-keys", "--account-id", "333333333333")).stdout).not.toContain(
      AccessKey.AccessKeyId,
    );
    // A key read for the first time after deletion is refused at once.
    const fresh = await table.accounts.createAccessKey("333333333333");
    await admin("delete-access-key", "--access-key-id", fresh.AccessKeyId);
    const freshIdentity = { accessKeyId: fresh.AccessKeyId, secretAccessKey: fresh.SecretAccessKey };
    expect((await fails("ListDocuments", {}, { identity: freshIdentity })).type).toBe("UnrecognizedClientException");
  }, 60_000);

  it("fails clearly on bad input", async () => {
    expect(await admin("create-account", "--account-id", "12")).toMatchObject({ code: 1 });
    expect((await admin("create-account", "--account-id", "333333333334")).code).toBe(0);
    expect((await admin("create-account", "--account-id", "333333333334")).stderr).toContain("already exists");
    expect((await admin("create-access-key", "--account-id", "999999999999")).stderr).toContain("does not exist");
    expect((await admin("create-access-key")).code).toBe(2);
    expect((await admin("frobnicate")).code).toBe(2);
    expect((await admin("delete-access-key", "--access-key-id", "AKIANOPE")).stderr).toContain("does not exist");
  }, 60_000);

  it("index-node-tags writes the node tag index of a table written before issue 30", async () => {
    const [node] = await ManagedNode.registerFleet(1, [{ Key: "team", Value: "blue" }]);
    const id = (node as ManagedNode).id;
    // As a table written before the index was: the node's tags, and no index item.
    const indexed = (await table.items()).filter((item) => item.Type === "NodeTag");
    expect(indexed.length).toBeGreaterThan(0);
    for (const item of indexed) {
      await table.db.send(new DeleteCommand({ TableName: table.name, Key: { PK: item.PK, SK: item.SK } }));
    }
    const byTag = { Filters: [{ Key: "tag:team", Values: ["blue"] }] };
    expect((await call("DescribeInstanceInformation", byTag)).InstanceInformationList).toEqual([]);
    expect((await audit(table.db, table.name)).violations.length).toBeGreaterThan(0);

    const done = await admin("index-node-tags");
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ nodes: 1, tags: 1 });
    expect((await audit(table.db, table.name)).violations).toEqual([]);
    const found = (await call("DescribeInstanceInformation", byTag)).InstanceInformationList;
    expect(found.map((n: { InstanceId: string }) => n.InstanceId)).toEqual([id]);
  }, 60_000);
});
