/**
 * What a node's routine calls write, in DynamoDB write units (the cost model's largest parts after
 * the message channel: BENCHMARKS.md "Cost per node on AWS", issue 30).
 *
 * An unchanged inventory upload. The agent's second run sends each unchanged type as
 * its ContentHash alone (agent/plugins/inventory/datauploader/uploader.go, optimized items), every
 * 30 minutes by default: it must write what changed (the capture time on a small head), not the
 * entries again. DynamoDB bills a write by the whole item's size, the larger of old and new (and
 * again for the item's index copy, and twice in a transaction): a head holding 300 KB of entries
 * cost about 500 write units an upload (issue 30's cost model: BENCHMARKS.md).
 */
import { createHash } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { EntityType, keys } from "../../shared/store/keys.ts";
import { FakeAgent } from "../support/agent.ts";
import { AgentComplianceUploader } from "../support/agent-compliance.ts";
import { meterWriteUnits } from "../support/call-meter.ts";
import { call, invoke } from "../support/invoke.ts";
import { agentRunReports, ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const hashOf = (content: unknown) => createHash("md5").update(JSON.stringify(content)).digest("base64");

let table: TestTable;
let written: { units: number };
let node: ManagedNode;

beforeAll(async () => {
  table = await freshTable();
  written = meterWriteUnits(table.db);
  node = await ManagedNode.register();
});

describe("an unchanged inventory upload (hash only) on a node with a large inventory", () => {
  it("writes a few units, however large the stored entries (issue 30)", async () => {
    // A large server's packages: 1,000 applications, about 260 KB of JSON (under the 300 KB a
    // head once kept inline).
    const applications = Array.from({ length: 1000 }, (_, i) => ({
      Name: `package-${i}`,
      Publisher: "Ubuntu Developers",
      Version: `1.${i}.0-1ubuntu1`,
      ApplicationType: "utils",
      Architecture: "x86_64",
      Summary: "x".repeat(80),
      PackageId: `package-${i}_1.${i}.0-1ubuntu1_amd64.deb`,
    }));
    const information = [{ AgentType: "amazon-ssm-agent", InstanceId: node.id, PlatformType: "Linux" }];
    const item = (typeName: string, schemaVersion: string, content: unknown[], time: string, full: boolean) => ({
      CaptureTime: time,
      ...(full ? { Content: content } : {}),
      ContentHash: hashOf(content),
      SchemaVersion: schemaVersion,
      TypeName: typeName,
    });
    const upload = (time: string, full: boolean) =>
      invoke(
        "PutInventory",
        {
          InstanceId: node.id,
          Items: [
            item("AWS:InstanceInformation", "1.0", information, time, full),
            // The agent gives a hash-only item the last gathered item's SchemaVersion (inventory.ts).
            item("AWS:Application", full ? "1.1" : "1.0", applications, time, full),
          ],
        },
        { identity: node.identity },
      );
    expect(Buffer.byteLength(JSON.stringify(applications))).toBeGreaterThan(200 * 1024);
    expect(Buffer.byteLength(JSON.stringify(applications))).toBeLessThan(300 * 1024);
    const first = await upload("2026-12-07T10:00:00Z", true);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const full = written.units;
    expect(full).toBeGreaterThan(200);

    written.units = 0;
    const second = await upload("2026-12-07T10:30:00Z", false);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    // Two heads of under 1 KB in one transaction: 2 units each, and their index copies (which
    // DynamoDB Local counts at 2 as well). It was 1,944 with the entries in the head.
    expect(written.units).toBeGreaterThan(0);
    expect(written.units).toBeLessThanOrEqual(8);

    // The answers are the same: the new capture time, the same entries.
    const listed = await call("ListInventoryEntries", {
      InstanceId: node.id,
      TypeName: "AWS:Application",
      MaxResults: 50,
    });
    expect(listed).toMatchObject({ SchemaVersion: "1.1", CaptureTime: "2026-12-07T10:30:00Z" });
    expect(listed.Entries).toEqual(applications.slice(0, 50));
    const got = await call("GetInventory", { ResultAttributes: [{ TypeName: "AWS:Application" }] });
    expect(got.Entities).toEqual([
      {
        Id: node.id,
        Data: {
          "AWS:Application": {
            TypeName: "AWS:Application",
            SchemaVersion: "1.1",
            CaptureTime: "2026-12-07T10:30:00Z",
            ContentHash: hashOf(applications),
            Content: applications,
          },
        },
      },
    ]);
  });
});

describe("a head written before the entries moved to parts (entries inline up to 300 KB)", () => {
  it("is read as it was, and takes a hash-only upload", async () => {
    const other = await ManagedNode.register();
    const scope = { accountId: "000000000000", region: "us-east-1" };
    const services = Array.from({ length: 40 }, (_, i) => ({ Name: `service-${i}`, Status: "Running" }));
    // As shared/store/inventory-store.ts wrote it before INLINE_BYTES: the entries in Content.
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.inventoryType(scope, other.id, "AWS:Service"),
          ...keys.inventoryTypeListing(scope, "AWS:Service", other.id),
          Type: EntityType.InventoryType,
          InstanceId: other.id,
          TypeName: "AWS:Service",
          SchemaVersion: "1.0",
          CaptureTime: "2026-12-01T00:00:00Z",
          ContentHash: hashOf(services),
          Content: services,
          Revision: 1,
        },
      }),
    );
    expect(Buffer.byteLength(JSON.stringify(services))).toBeGreaterThan(512);
    const listed = await call("ListInventoryEntries", { InstanceId: other.id, TypeName: "AWS:Service" });
    expect(listed).toMatchObject({ CaptureTime: "2026-12-01T00:00:00Z", Entries: services });
    const again = await invoke(
      "PutInventory",
      {
        InstanceId: other.id,
        Items: [
          {
            CaptureTime: "2026-12-02T00:00:00Z",
            ContentHash: hashOf(services),
            SchemaVersion: "1.0",
            TypeName: "AWS:Service",
          },
        ],
      },
      { identity: other.identity },
    );
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const got = await call("GetInventory", { ResultAttributes: [{ TypeName: "AWS:Service" }] });
    expect(got.Entities).toEqual([
      {
        Id: other.id,
        Data: {
          "AWS:Service": {
            TypeName: "AWS:Service",
            SchemaVersion: "1.0",
            CaptureTime: "2026-12-02T00:00:00Z",
            ContentHash: hashOf(services),
            Content: services,
          },
        },
      },
    ]);
  });
});

describe("a node's credential renewal and heartbeat", () => {
  it("a renewal (RequestManagedInstanceRoleToken) writes its session key once: 2 units, was 12 in a transaction", async () => {
    const activation = await call("CreateActivation", { IamRole: "SSMServiceRole" });
    const agent = new FakeAgent();
    expect((await agent.register(activation.ActivationId, activation.ActivationCode)).status).toBe(200);
    expect((await agent.roleToken()).status).toBe(200);
    written.units = 0;
    // The agent renews at half the credentials' hour (agent/managedInstances/rolecreds in amazon-ssm-agent).
    const renewed = await agent.roleToken();
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    // The key (under 1 KB) and its GSI1 copy: the floor while keys are stored and listed.
    expect(written.units).toBe(2);
  });

  it("a heartbeat (UpdateInstanceInformation) writes the node item and its GSI1 copy: 2 units", async () => {
    written.units = 0;
    const answer = await invoke(
      "UpdateInstanceInformation",
      {
        AgentName: "amazon-ssm-agent",
        AgentStatus: "Active",
        AgentVersion: "3.3.1142.0",
        ComputerName: "node.example",
        IPAddress: "10.0.0.12",
        InstanceId: node.id,
        PlatformName: "Ubuntu",
        PlatformType: "Linux",
        PlatformVersion: "22.04",
      },
      { identity: node.identity },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(written.units).toBe(2);
  });
});

describe("a run's four reports in steady state (the node reported on the association before)", () => {
  it("the two that move no count (Pending on a target its poll made Pending, the second InProgress) write 3 units each: no transaction (issue 30)", async () => {
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [node.id] }],
    });
    const id = AssociationDescription.AssociationId as string;
    expect(await node.due()).toEqual([id]);
    expect(await node.run(id, "Success")).toEqual([200, 200, 200, 200]);
    await call("StartAssociationsOnce", { AssociationIds: [id] });
    expect(await node.due()).toEqual([id]);
    const units: number[] = [];
    for (const [status, summary, errorCode] of agentRunReports("Success")) {
      written.units = 0;
      const answer = await node.report(id, status, summary, errorCode);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      units.push(written.units);
    }
    // Pending and the second InProgress: the node's status (1) and its GSI1 copy (1), the run's
    // target (1), each put alone (12 in a transaction, as DynamoDB Local counts it). InProgress and
    // Success move the run's counters: the status, the target and the shard in one transaction (12
    // as DynamoDB Local counts a transaction on one table and an index), and the final status's
    // compliance item (2).
    expect(units).toEqual([3, 12, 3, 14]);
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;
    expect(run).toMatchObject({ Status: "Success", ResourceCountByStatus: "{Success=1}" });
  });
});

describe("a run's compliance upload (PutComplianceItems as the agent sends it: test/support/agent-compliance.ts)", () => {
  it("a new run (a new hash) writes the head and its GSI1 copy: 2 units; the agent's unchanged upload (the same hash) writes none (issue 30)", async () => {
    const agent = new AgentComplianceUploader(node);
    const ran = new Date("2026-12-08T01:00:00.5Z");
    written.units = 0;
    expect((await agent.upload("assoc-units", "AWS-RunShellScript", "1", "Success", ran)).status).toBe(200);
    expect(written.units).toBe(2);
    // The agent's entries did not change (its hash covers each run's execution time, so only the
    // same run's compliance again): the hash alone, ignored as the API reference says.
    written.units = 0;
    expect((await agent.upload("assoc-units", "AWS-RunShellScript", "1", "Success", ran)).status).toBe(200);
    expect(written.units).toBe(0);
    written.units = 0;
    const next = new Date("2026-12-08T01:30:00.5Z");
    expect((await agent.upload("assoc-units", "AWS-RunShellScript", "1", "Success", next)).status).toBe(200);
    expect(written.units).toBe(2);
  });
});
