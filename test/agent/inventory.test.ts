/**
 * Inventory as the SSM Agent uploads it (agent/plugins/inventory/datauploader/uploader.go in
 * amazon-ssm-agent): AWS:InstanceInformation and AWS:Application items, each with a ContentHash
 * (base64 MD5 of the content's JSON); the next run sends an unchanged type as its hash alone
 * (the "optimized" item, no Content) and resends the full item only on ItemContentMismatchException.
 * Replayed through the local endpoint with node credentials; a user reads it with the CLI.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { agentCall, registeredAgent } from "../support/agent-http.ts";
import {
  agentInventoryBody,
  applications,
  hashOf,
  instanceInformation as informationOf,
} from "../support/agent-inventory.ts";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";
import type { Identity } from "../support/identity.ts";
import { call, fails } from "../support/invoke.ts";

const server = useLocalEndpoint();
let instanceId: string;
let node: Identity;

const instanceInformation = () => informationOf(instanceId);
const agentBody = (captureTime: string, optimized: boolean) => agentInventoryBody(instanceId, captureTime, optimized);

/** An item's size as DynamoDB counts it, roughly: names plus values, binary by its bytes. */
const itemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) =>
      sum + name.length + (value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(JSON.stringify(value))),
    0,
  );

const put = (body: string) => agentCall(server, { target: "AmazonSSM.PutInventory", body, identity: node });

beforeAll(async () => {
  ({ instanceId, identity: node } = await registeredAgent());
});

describe("the agent's inventory upload: PutInventory, ListInventoryEntries, GetInventory", () => {
  it("starts from an AWS-GatherSoftwareInventory association, whose step is the aws:softwareInventory plugin's", async () => {
    await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "InstanceIds", Values: [instanceId] }],
      Parameters: { applications: ["Enabled"], awsComponents: ["Enabled"] },
      ScheduleExpression: "rate(30 minutes)",
    });
    const listed = await agentCall(server, {
      target: "AmazonSSM.ListInstanceAssociations",
      body: JSON.stringify({ InstanceId: instanceId, MaxResults: 20 }),
      identity: node,
    });
    expect(JSON.parse(listed.body).Associations).toEqual([
      expect.objectContaining({ Name: "AWS-GatherSoftwareInventory", DetailedStatus: "Pending" }),
    ]);
    const document = await call("GetDocument", { Name: "AWS-GatherSoftwareInventory" }, { identity: node });
    expect(document.DocumentType).toBe("Policy");
    // The inputs of the step as AWS's plugin reference (aws:softwareInventory, schema 2.0+) has them.
    expect(JSON.parse(document.Content).mainSteps).toEqual([
      {
        action: "aws:softwareInventory",
        name: "collectSoftwareInventoryItems",
        inputs: {
          applications: "{{ applications }}",
          awsComponents: "{{ awsComponents }}",
          networkConfig: "{{ networkConfig }}",
          files: "{{ files }}",
          services: "{{ services }}",
          windowsRoles: "{{ windowsRoles }}",
          windowsRegistry: "{{ windowsRegistry}}",
          windowsUpdates: "{{ windowsUpdates }}",
          instanceDetailedInformation: "{{ instanceDetailedInformation }}",
          billingInfo: "{{ billingInfo }}",
          customInventory: "{{ customInventory }}",
        },
      },
    ]);
  });

  it("is stored, then skipped when unchanged (hash only), and listed by the CLI", async () => {
    const first = await put(agentBody("2026-11-25T12:00:00Z", false));
    expect(first.status, first.body).toBe(200);
    const second = await put(agentBody("2026-11-25T12:30:00Z", true));
    expect(second.status, second.body).toBe(200);

    const listed = await awsCli(server.url, [
      "list-inventory-entries",
      "--instance-id",
      instanceId,
      "--type-name",
      "AWS:Application",
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      TypeName: "AWS:Application",
      InstanceId: instanceId,
      SchemaVersion: "1.1",
      CaptureTime: "2026-11-25T12:30:00Z",
      Entries: applications,
    });
    const filtered = await awsCli(server.url, [
      "list-inventory-entries",
      "--instance-id",
      instanceId,
      "--type-name",
      "AWS:Application",
      "--filters",
      "Key=Name,Values=cu,Type=BeginWith",
    ]);
    expect(JSON.parse(filtered.stdout).Entries.map((e: { Name: string }) => e.Name)).toEqual(["curl"]);
  });

  it("answers a hash that does not match the stored data with ItemContentMismatchException, writing nothing", async () => {
    const before = await server.table.items();
    const body = JSON.stringify({
      InstanceId: instanceId,
      Items: [
        {
          CaptureTime: "2026-11-25T13:00:00Z",
          ContentHash: "bm90LXRoZS1zYW1lLWhhc2g=",
          SchemaVersion: "1.1",
          TypeName: "AWS:Application",
        },
      ],
    });
    const answer = await put(body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      __type: "ItemContentMismatchException",
      TypeName: "AWS:Application",
    });
    expect(await server.table.items()).toEqual(before);
  });

  it("GetInventory finds the node by AWS:InstanceInformation.InstanceId and returns any result type", async () => {
    const found = await awsCli(server.url, [
      "get-inventory",
      "--filters",
      `Key=AWS:InstanceInformation.InstanceId,Values=${instanceId},Type=Equal`,
    ]);
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).Entities).toEqual([
      {
        Id: instanceId,
        Data: {
          "AWS:InstanceInformation": {
            TypeName: "AWS:InstanceInformation",
            SchemaVersion: "1.0",
            CaptureTime: "2026-11-25T12:30:00Z",
            ContentHash: hashOf(instanceInformation()),
            Content: instanceInformation(),
          },
        },
      },
    ]);
    const apps = await call("GetInventory", {
      Filters: [{ Key: "AWS:Application.Name", Values: ["openssl"] }],
      ResultAttributes: [{ TypeName: "AWS:Application" }],
    });
    expect(apps.Entities.map((e: { Id: string }) => e.Id)).toEqual([instanceId]);
    expect(apps.Entities[0].Data["AWS:Application"].Content).toEqual(applications);
    const none = await call("GetInventory", { Filters: [{ Key: "AWS:Application.Name", Values: ["emacs"] }] });
    expect(none.Entities).toEqual([]);
    expect(await fails("GetInventory", { Aggregators: [{ Expression: "AWS:Application.Name" }] })).toMatchObject({
      type: "InvalidAggregatorException",
    });
    expect(await fails("GetInventory", { Filters: [{ Key: "InstanceId", Values: ["x"] }] })).toMatchObject({
      type: "InvalidFilter",
    });
  });
});

/**
 * The optimized upload exactly as the agent builds it (ConvertToSsmInventoryItems in
 * agent/plugins/inventory/datauploader/uploader.go): `for _, item := range items` takes
 * `&item.CaptureTime` and `&item.SchemaVersion` for each hash-only item, and under the module's
 * `go 1.21` the loop variable is one for the whole loop, so every hash-only item carries the
 * SchemaVersion and CaptureTime of the *last* gathered item (its TypeName and ContentHash are
 * per-iteration variables, right). A changed type is sent whole, with its own values.
 */
function agentOptimizedBody(
  gathered: { typeName: string; schemaVersion: string; content: unknown; changed?: boolean }[],
  captureTime: string,
): string {
  const last = gathered.at(-1) as (typeof gathered)[number];
  return JSON.stringify({
    InstanceId: instanceId,
    Items: gathered.map((item) =>
      item.changed
        ? {
            CaptureTime: captureTime,
            Content: item.content,
            ContentHash: hashOf(item.content),
            SchemaVersion: item.schemaVersion,
            TypeName: item.typeName,
          }
        : {
            CaptureTime: captureTime,
            ContentHash: hashOf(item.content),
            SchemaVersion: last.schemaVersion,
            TypeName: item.typeName,
          },
    ),
  });
}

describe("the agent's second inventory run on an unchanged node (issue 29, defect 5)", () => {
  it("hash-only items carrying the last gathered item's SchemaVersion are accepted when their hash matches", async () => {
    // Gathered in this order, AWS:Application (1.1) then AWS:InstanceInformation (1.0): the
    // hash-only AWS:Application item arrives with SchemaVersion 1.0. Refusing it
    // (UnsupportedInventorySchemaVersionException) made the association fail from the second
    // run on, and the agent does not resend for that error (shouldRetryWithNonOptimizedData,
    // agent/plugins/inventory/inventory.go, retries only ItemContentMismatchException and
    // InvalidItemContentException).
    const gathered = [
      { typeName: "AWS:Application", schemaVersion: "1.1", content: applications },
      { typeName: "AWS:InstanceInformation", schemaVersion: "1.0", content: instanceInformation() },
    ];
    const full = JSON.stringify({
      InstanceId: instanceId,
      Items: gathered.map((item) => ({
        CaptureTime: "2026-11-26T08:00:00Z",
        Content: item.content,
        ContentHash: hashOf(item.content),
        SchemaVersion: item.schemaVersion,
        TypeName: item.typeName,
      })),
    });
    expect((await put(full)).status).toBe(200);
    for (const captureTime of ["2026-11-26T08:30:00Z", "2026-11-26T09:00:00Z"]) {
      const answer = await put(agentOptimizedBody(gathered, captureTime));
      expect(answer.status, answer.body).toBe(200);
    }
    // The stored type keeps its own schema version; only its capture time moves.
    const entries = await call("ListInventoryEntries", { InstanceId: instanceId, TypeName: "AWS:Application" });
    expect(entries).toMatchObject({ SchemaVersion: "1.1", CaptureTime: "2026-11-26T09:00:00Z", Entries: applications });
    // Gathered the other way round, the hash-only AWS:InstanceInformation carries 1.1: accepted too.
    const reversed = [...gathered].reverse();
    expect((await put(agentOptimizedBody(reversed, "2026-11-26T09:30:00Z"))).status).toBe(200);
    const info = await call("ListInventoryEntries", { InstanceId: instanceId, TypeName: "AWS:InstanceInformation" });
    expect(info.SchemaVersion).toBe("1.0");
  });

  it("a hash-only item whose hash does not match is ItemContentMismatchException, so the agent resends it whole", async () => {
    const changedApps = [...applications, { Name: "zsh", Version: "5.8.1-1", ApplicationType: "shells" }];
    const gathered = [
      { typeName: "AWS:Application", schemaVersion: "1.1", content: changedApps },
      { typeName: "AWS:InstanceInformation", schemaVersion: "1.0", content: instanceInformation() },
    ];
    // The agent thinks AWS:Application unchanged (its own hash store lost the update): refused for
    // the mismatch, whatever its SchemaVersion says.
    const answer = await put(agentOptimizedBody(gathered, "2026-11-26T10:00:00Z"));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).__type).toBe("ItemContentMismatchException");
    // The agent's retry with the non-optimized items lands.
    const resent = JSON.stringify({
      InstanceId: instanceId,
      Items: gathered.map((item) => ({
        CaptureTime: "2026-11-26T10:00:00Z",
        Content: item.content,
        ContentHash: hashOf(item.content),
        SchemaVersion: item.schemaVersion,
        TypeName: item.typeName,
      })),
    });
    expect((await put(resent)).status).toBe(200);
    // A full item still must carry its type's schema version.
    const wrong = JSON.parse(resent);
    wrong.Items[0].SchemaVersion = "1.0";
    expect(JSON.parse((await put(JSON.stringify(wrong))).body).__type).toBe(
      "UnsupportedInventorySchemaVersionException",
    );
  });
});

describe("GetInventory's AWS:InstanceInformation of every managed node (issue 29, defect 7)", () => {
  it("is derived from the node when the agent uploaded only other types, as the README's example reads it", async () => {
    // The real agent uploads AWS:Application and the like, never AWS:InstanceInformation: AWS
    // derives that type for every managed node (its get-inventory example answers it unasked).
    const other = await registeredAgent();
    await call(
      "UpdateInstanceInformation",
      {
        InstanceId: other.instanceId,
        PlatformType: "Linux",
        PlatformName: "Ubuntu",
        PlatformVersion: "22.04",
        AgentVersion: "3.3.1142.0",
        ComputerName: "node-2.example",
        IPAddress: "10.0.0.13",
      },
      { identity: other.identity },
    );
    const onlyApplications = JSON.stringify({
      InstanceId: other.instanceId,
      Items: [
        {
          CaptureTime: "2026-11-27T08:00:00Z",
          Content: applications,
          ContentHash: hashOf(applications),
          SchemaVersion: "1.1",
          TypeName: "AWS:Application",
        },
      ],
    });
    const uploaded = await agentCall(server, {
      target: "AmazonSSM.PutInventory",
      body: onlyApplications,
      identity: other.identity,
    });
    expect(uploaded.status, uploaded.body).toBe(200);
    const found = await awsCli(server.url, [
      "get-inventory",
      "--filters",
      `Key=AWS:InstanceInformation.InstanceId,Values=${other.instanceId},Type=Equal`,
    ]);
    expect(found.code, found.stderr).toBe(0);
    const [entity] = JSON.parse(found.stdout).Entities;
    expect(entity).toEqual({
      Id: other.instanceId,
      Data: {
        "AWS:InstanceInformation": {
          TypeName: "AWS:InstanceInformation",
          SchemaVersion: "1.0",
          CaptureTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          Content: [
            {
              AgentType: "amazon-ssm-agent",
              AgentVersion: "3.3.1142.0",
              ComputerName: "node-2.example",
              InstanceId: other.instanceId,
              InstanceStatus: "Active",
              IpAddress: "10.0.0.13",
              PlatformName: "Ubuntu",
              PlatformType: "Linux",
              PlatformVersion: "22.04",
              ResourceType: "ManagedInstance",
            },
          ],
        },
      },
    });
    // No filter: every managed node, the one that uploaded its own AWS:InstanceInformation too.
    const all = await awsCli(server.url, ["get-inventory"]);
    const ids = JSON.parse(all.stdout).Entities.map((e: { Id: string }) => e.Id);
    expect(ids).toEqual(expect.arrayContaining([instanceId, other.instanceId]));
    // A filter on another type still narrows to the nodes that have it.
    const withOpenssl = await call("GetInventory", {
      Filters: [{ Key: "AWS:Application.Name", Values: ["openssl"], Type: "Equal" }],
    });
    expect(withOpenssl.Entities.map((e: { Id: string }) => e.Id)).toEqual(
      expect.arrayContaining([instanceId, other.instanceId]),
    );
    const withZsh = await call("GetInventory", {
      Filters: [{ Key: "AWS:Application.Name", Values: ["zsh"], Type: "Equal" }],
    });
    expect(withZsh.Entities.map((e: { Id: string }) => e.Id)).not.toContain(other.instanceId);
  });
});

describe("PutInventory refuses as AWS does, writing nothing", () => {
  const item = (extra: Record<string, unknown>) => ({
    CaptureTime: "2026-11-25T12:00:00Z",
    SchemaVersion: "1.0",
    Content: [{ Name: "a" }],
    ...extra,
  });
  const cases: [string, Record<string, unknown>, string][] = [
    ["an unknown AWS type", item({ TypeName: "AWS:Printer" }), "InvalidTypeNameException"],
    [
      "a schema version the type does not have",
      item({ TypeName: "AWS:Application" }),
      "UnsupportedInventorySchemaVersionException",
    ],
    [
      "a Context on a type that takes none",
      item({ TypeName: "Custom:Rack", Context: { ExecutionId: "1" } }),
      "UnsupportedInventoryItemContextException",
    ],
    [
      "a Context key AWS:ComplianceItem does not take",
      item({ TypeName: "AWS:ComplianceItem", Context: { Color: "red" } }),
      "InvalidInventoryItemContextException",
    ],
    [
      "a custom type over 200 KB",
      item({ TypeName: "Custom:Big", Content: Array.from({ length: 60 }, () => ({ Blob: "y".repeat(4000) })) }),
      "ItemSizeLimitExceededException",
    ],
    [
      "a capture time not in AWS's format",
      item({ TypeName: "Custom:Rack", CaptureTime: "2026-11-25 12:00:00" }),
      "ValidationException",
    ],
  ];
  for (const [what, bad, type] of cases) {
    it(`${what}: ${type}`, async () => {
      const before = await server.table.items();
      const answer = await fails("PutInventory", { InstanceId: instanceId, Items: [bad] }, { identity: node });
      expect(answer.type, answer.message).toBe(type);
      expect(await server.table.items()).toEqual(before);
    });
  }

  it("more than 1 MB in one call: TotalSizeLimitExceededException", async () => {
    const content = Array.from({ length: 250 }, (_, i) => ({ Name: `p${i}`, Summary: "z".repeat(4000) }));
    const answer = await fails(
      "PutInventory",
      {
        InstanceId: instanceId,
        Items: [item({ TypeName: "AWS:Application", SchemaVersion: "1.1", Content: content })],
      },
      { identity: node },
    );
    expect(answer.type).toBe("TotalSizeLimitExceededException");
  });

  it("node credentials for another node, or an unknown node: AccessDeniedException, InvalidInstanceId", async () => {
    const other = { InstanceId: "mi-0123456789abcdef0", Items: [item({ TypeName: "Custom:Rack" })] };
    expect((await fails("PutInventory", other, { identity: node })).type).toBe("AccessDeniedException");
    expect((await fails("PutInventory", other)).type).toBe("InvalidInstanceId");
  });

  it("the 21st custom type of an account: CustomSchemaCountLimitExceededException", async () => {
    for (let i = 1; i <= 20; i += 10) {
      const items = Array.from({ length: 10 }, (_, j) => item({ TypeName: `Custom:Type${i + j}` }));
      expect(await call("PutInventory", { InstanceId: instanceId, Items: items }, { identity: node })).toEqual({});
    }
    const answer = await fails(
      "PutInventory",
      { InstanceId: instanceId, Items: [item({ TypeName: "Custom:Type21" })] },
      { identity: node },
    );
    expect(answer.type).toBe("CustomSchemaCountLimitExceededException");
    // A type already registered still takes data.
    expect(
      await call(
        "PutInventory",
        { InstanceId: instanceId, Items: [item({ TypeName: "Custom:Type7" })] },
        { identity: node },
      ),
    ).toEqual({});
  });
});

describe("large inventory", () => {
  it("keeps a type larger than one DynamoDB item in parts, and pages its entries", async () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({
      Name: `package-${String(i).padStart(5, "0")}`,
      Publisher: "Example",
      Version: "1.0.0",
      Architecture: "x86_64",
      Summary: "x".repeat(250),
    }));
    const body = JSON.stringify({
      InstanceId: instanceId,
      Items: [
        {
          CaptureTime: "2026-11-25T14:00:00Z",
          Content: many,
          ContentHash: hashOf(many),
          SchemaVersion: "1.1",
          TypeName: "AWS:Application",
        },
      ],
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(400 * 1024 * 2);
    const answer = await put(body);
    expect(answer.status, answer.body).toBe(200);
    const parts = (await server.table.items()).filter((item) => item.Type === "InventoryPart");
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const item of await server.table.items()) expect(itemBytes(item)).toBeLessThan(400 * 1024);
    const names: string[] = [];
    let token: string | undefined;
    do {
      // Read with the account's credentials: ListInventoryEntries is not in the node's role.
      const page = await call("ListInventoryEntries", {
        InstanceId: instanceId,
        TypeName: "AWS:Application",
        MaxResults: 50,
        NextToken: token,
      });
      names.push(...page.Entries.map((e: { Name: string }) => e.Name));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual(many.map((e) => e.Name));
    // Back to a small list (about 700 bytes: one part, shared/store/inventory-store.ts INLINE_BYTES):
    // the parts past it are gone.
    expect((await put(agentBody("2026-11-25T15:00:00Z", false))).status).toBe(200);
    const applicationParts = (await server.table.items()).filter(
      (item) =>
        item.Type === "InventoryPart" &&
        String(item.PK).endsWith(`#${instanceId}`) &&
        String(item.SK).startsWith("PART#AWS:Application#"),
    );
    expect(applicationParts.map((item) => item.SK)).toEqual(["PART#AWS:Application#0001"]);
  });
});
