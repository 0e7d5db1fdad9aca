/**
 * The audit trail (shared/domain/audit/), read as an operator reads it: `npm run admin -- audit`
 * against the table the handlers wrote. Every mutating request, successful or refused, is there
 * with its caller, its parameters (secrets redacted) and its outcome, for 90 days (the table's
 * TTL); reads are not; a node's routine calls are counted, not kept one by one.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditTrail, ROUTINE_WINDOW_MS } from "../../shared/domain/audit/audit.ts";
import { createRuntime, installRuntime } from "../../shared/runtime.ts";
import { DynamoAuditStore } from "../../shared/store/audit-store.ts";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const run = promisify(execFile);
const SECRET_VALUE = "s3cret-db-password";
let table: TestTable;
/** The runtime's clock runs this far ahead of the real one (the routine counts' window). */
let ahead = 0;

beforeAll(async () => {
  table = await freshTable();
  installRuntime(createRuntime({ ...table.options, clock: () => new Date(Date.now() + ahead) }));
});

// biome-ignore lint/suspicious/noExplicitAny: the report is read as plain data
async function audit(...args: string[]): Promise<any> {
  const { stdout } = await run("npm", ["run", "-s", "admin", "--", "audit", ...args], {
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: table.endpoint,
      TABLE_NAME: table.name,
      CREDENTIALS_KEY: table.credentialsKey,
    },
  });
  return JSON.parse(stdout);
}

describe("the audit trail", () => {
  it("keeps create, update, delete and a refused request with caller, parameters and outcome; not reads", async () => {
    const content = commandContent("1");
    expect((await invoke("CreateDocument", { Name: "audited", Content: content })).status).toBe(200);
    expect(
      (await invoke("UpdateDocument", { Name: "audited", Content: commandContent("2"), DocumentVersion: "$LATEST" }))
        .status,
    ).toBe(200);
    expect((await invoke("DescribeDocument", { Name: "audited" })).status).toBe(200);
    expect((await invoke("DeleteDocument", { Name: "audited" })).status).toBe(200);
    expect((await invoke("DeleteDocument", { Name: "audited" })).status).toBe(400);

    const report = await audit("--since", "1h", "--account", "000000000000");
    const events = report.Events.filter((e: { Parameters: { Name?: string } }) => e.Parameters.Name === "audited");
    expect(events.map((e: { Operation: string; Status: number }) => `${e.Operation} ${e.Status}`)).toEqual([
      "CreateDocument 200",
      "UpdateDocument 200",
      "DeleteDocument 200",
      "DeleteDocument 400",
    ]);
    const [created, updated, deleted, refused] = events;
    expect(created).toMatchObject({
      AccountId: "000000000000",
      Region: "us-east-1",
      Caller: "arn:aws:iam::000000000000:root",
      AccessKeyId: "test",
      SourceIp: "127.0.0.1",
      Parameters: { Name: "audited", Content: content },
      Resources: { "DocumentDescription.DocumentVersion": "1" },
    });
    expect(Date.parse(created.Time)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(created.RequestId).toEqual(expect.any(String));
    expect(updated).toMatchObject({ Parameters: { DocumentVersion: "$LATEST" } });
    expect(updated.Resources["DocumentDescription.DocumentVersion"]).toBe("2");
    expect(deleted.ErrorCode).toBeUndefined();
    expect(refused).toMatchObject({
      ErrorCode: "InvalidDocument",
      ErrorMessage: expect.stringContaining("audited"),
      Parameters: { Name: "audited" },
    });
    expect(refused.Resources).toBeUndefined();
    // A read is not kept.
    expect(report.Events.some((e: { Operation: string }) => e.Operation === "DescribeDocument")).toBe(false);
    // --operation keeps one operation's.
    const deletes = await audit("--since", "1h", "--operation", "DeleteDocument");
    expect(deletes.Events.map((e: { Status: number }) => e.Status)).toEqual([200, 400]);
  });

  it("keeps no secret: a SecureString's value, an activation code, a node's key", async () => {
    await call("PutParameter", { Name: "/audited/db", Value: SECRET_VALUE, Type: "SecureString" });
    // An overwrite that does not say its type may keep a SecureString's: redacted too.
    await call("PutParameter", { Name: "/audited/db", Value: SECRET_VALUE, Overwrite: true });
    await call("PutParameter", { Name: "/audited/plain", Value: "visible", Type: "String" });
    const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
    const agent = new FakeAgent();
    expect((await agent.register(ActivationId, ActivationCode)).status).toBe(200);

    const report = await audit("--since", "1h");
    const text = JSON.stringify(report);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(ActivationCode);
    expect(text).not.toContain(agent.publicKey);
    const puts = report.Events.filter((e: { Operation: string }) => e.Operation === "PutParameter");
    expect(puts.map((e: { Parameters: { Value: string } }) => e.Parameters.Value)).toEqual([
      "REDACTED",
      "REDACTED",
      "visible",
    ]);
    const activation = report.Events.find((e: { Operation: string }) => e.Operation === "CreateActivation");
    expect(activation.Resources).toEqual({ ActivationId });
    // The registration: no credentials, but it acts for the activation's account, as the node it made.
    const registration = report.Events.find((e: { Operation: string }) => e.Operation === "RegisterManagedInstance");
    expect(registration).toMatchObject({
      AccountId: "000000000000",
      Caller: `arn:aws:ssm:us-east-1:000000000000:managed-instance/${agent.instanceId}`,
      NodeId: agent.instanceId,
      Parameters: { ActivationId, ActivationCode: "REDACTED", PublicKey: "REDACTED" },
      Resources: { InstanceId: agent.instanceId },
    });
  });

  it("counts a node's routine calls instead of keeping each, and keeps it all for 90 days", async () => {
    const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
    const agent = new FakeAgent();
    await agent.register(ActivationId, ActivationCode);
    const token = (await agent.roleToken()).body;
    const node = {
      accessKeyId: token.AccessKeyId as string,
      secretAccessKey: token.SecretAccessKey as string,
      sessionToken: token.SessionToken as string,
    };
    const heartbeat = { InstanceId: agent.instanceId, PlatformType: "Linux", AgentVersion: "3.3.987.0" };
    for (let i = 0; i < 3; i++)
      expect((await invoke("UpdateInstanceInformation", heartbeat, { identity: node })).status).toBe(200);
    // Refused: node credentials speak only for their node.
    expect(
      (
        await invoke(
          "UpdateInstanceInformation",
          { ...heartbeat, InstanceId: "mi-0123456789abcdef0" },
          { identity: node },
        )
      ).status,
    ).toBe(400);
    // The counts are written with the first request after their window.
    ahead = ROUTINE_WINDOW_MS + 1_000;
    await invoke("UpdateInstanceInformation", heartbeat, { identity: node });

    const report = await audit("--since", "1h", "--account", "000000000000");
    expect(report.Events.some((e: { Operation: string }) => e.Operation === "UpdateInstanceInformation")).toBe(false);
    const heartbeats = report.RoutineCalls.find(
      (c: { NodeId: string; Operation: string }) =>
        c.NodeId === agent.instanceId && c.Operation === "UpdateInstanceInformation",
    );
    // Each call once, the refused one as refused too; the request that finds the window over is in it.
    expect(heartbeats).toMatchObject({ AccountId: "000000000000", Region: "us-east-1", Calls: 5, Refused: 1 });
    const tokens = report.RoutineCalls.find(
      (c: { NodeId: string; Operation: string }) =>
        c.NodeId === agent.instanceId && c.Operation === "RequestManagedInstanceRoleToken",
    );
    expect(tokens).toMatchObject({ Calls: 1, Refused: 0 });

    // Every audit item expires 90 days on (the table's TTL attribute).
    const items = await table.auditItems();
    expect(items.length).toBeGreaterThan(5);
    for (const item of items) {
      const days = (Number(item.ExpiresAt) - Date.now() / 1000) / 86_400;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThan(90.1);
    }
  });

  it("a fleet's window (3,000 nodes, 4 routine operations each) is written in records under DynamoDB's 400 KB item limit, every count kept (issue 30)", async () => {
    // One record of it (12,000 counts, ~1.3 MB) was refused, and carried into every later window.
    const trail = new AuditTrail(new DynamoAuditStore(table.db, table.name));
    const operations = ["UpdateInstanceInformation", "UpdateInstanceAssociationStatus", "PutInventory", "SendReply"];
    for (let i = 0; i < 3000; i++) {
      const nodeId = `mi-f1ee7${String(i).padStart(12, "0")}`;
      const caller = {
        accountId: "000000000000",
        region: "us-east-1",
        arn: `arn:aws:ssm:us-east-1:000000000000:managed-instance/${nodeId}`,
        nodeId,
      };
      for (const operation of operations) {
        await trail.observe({ time: new Date(), requestId: "r", operation, caller, parameters: {}, status: 200 });
      }
    }
    await trail.flush();
    const records = (await table.auditItems()).filter(
      (item) =>
        item.Type === "AuditRoutineCalls" && (item.Counts as { NodeId: string }[])[0]?.NodeId.startsWith("mi-f1ee7"),
    );
    expect(records.flatMap((record) => record.Counts as unknown[])).toHaveLength(12_000);
    for (const record of records) expect(JSON.stringify(record).length).toBeLessThan(400_000);
  });
});
