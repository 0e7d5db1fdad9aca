/**
 * A node's view of its associations comes from the association index (shared/store/association-index.ts):
 * right for every kind of target, kept true by creates, updates and deletes (also when an
 * association has more index items than fit beside its head in one transaction), following the
 * node's own tags without any index write, and costing the same DynamoDB calls and items whatever
 * the number of other associations in the account.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { indexPlan } from "../../shared/store/association-index.ts";
import { DynamoAssociationStore } from "../../shared/store/association-store.ts";
import { keys } from "../../shared/store/keys.ts";
import { registeredAgent } from "../support/agent-http.ts";
import type { Identity } from "../support/identity.ts";
import { call } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const SCOPE = { accountId: "000000000000", region: "us-east-1" };
const A = "i-0aaaaaaaaaaaaaaa1"; // env=prod, team=blue
const B = "i-0bbbbbbbbbbbbbbb2"; // env=dev
const C = "i-0ccccccccccccccc3"; // no tags
const D = "i-0ddddddddddddddd4"; // the node of the scale test
let table: TestTable;

async function node(id: string, tags: Record<string, string> = {}) {
  await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  if (Tags.length > 0) await call("AddTagsToResource", { ResourceType: "ManagedInstance", ResourceId: id, Tags });
}

/** The node's view, from both node-side operations, every page; they must agree. */
async function view(instanceId: string, identity?: Identity): Promise<string[]> {
  const effective: string[] = [];
  let token: string | undefined;
  do {
    const page = await call(
      "DescribeEffectiveInstanceAssociations",
      { InstanceId: instanceId, MaxResults: 5, NextToken: token },
      { identity },
    );
    effective.push(...page.Associations.map((a: { AssociationId: string }) => a.AssociationId));
    token = page.NextToken;
  } while (token);
  const listed: string[] = [];
  do {
    const page = await call(
      "ListInstanceAssociations",
      { InstanceId: instanceId, MaxResults: 50, NextToken: token },
      { identity },
    );
    listed.push(...page.Associations.map((a: { AssociationId: string }) => a.AssociationId));
    token = page.NextToken;
  } while (token);
  expect(listed).toEqual(effective);
  return effective;
}

async function associate(request: Record<string, unknown>): Promise<string> {
  const { AssociationDescription } = await call("CreateAssociation", {
    Name: "AWS-GatherSoftwareInventory",
    ...request,
  });
  return AssociationDescription.AssociationId as string;
}

/** The lookup keys the index holds for an association (from the items' partition keys). */
async function indexed(associationId: string): Promise<string[]> {
  const prefix = keys.associationLookupPartition(SCOPE, "");
  return (await table.items())
    .filter((item) => item.Type === "AssociationLookup" && item.AssociationId === associationId)
    .map((item) => String(item.PK).slice(prefix.length))
    .sort();
}

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  table = await freshTable();
  await node(A, { env: "prod", team: "blue" });
  await node(B, { env: "dev" });
  await node(C);
});

describe("ListInstanceAssociations and DescribeEffectiveInstanceAssociations: the node's view by the association index", () => {
  it("is right for each kind of target: ids, tag, tag-key, wildcard, legacy InstanceId, several targets", async () => {
    const ids = await associate({ Targets: [{ Key: "InstanceIds", Values: [A] }] });
    const tag = await associate({ Targets: [{ Key: "tag:env", Values: ["prod", "staging"] }] });
    const tagKey = await associate({ Targets: [{ Key: "tag-key", Values: ["team"] }] });
    const everyNode = await associate({ Targets: [{ Key: "InstanceIds", Values: ["*"] }] });
    const legacy = await associate({ Name: "AWS-UpdateSSMAgent", InstanceId: B });
    const several = await associate({
      Targets: [
        { Key: "tag:env", Values: ["dev"] },
        { Key: "InstanceIds", Values: [C] },
      ],
    });
    // A tag value is no tag key and a tag key no tag value.
    const neither = await associate({
      Targets: [
        { Key: "tag:prod", Values: ["env"] },
        { Key: "tag-key", Values: ["prod"] },
      ],
    });
    expect(await view(A)).toEqual(sorted([ids, tag, tagKey, everyNode]));
    expect(await view(B)).toEqual(sorted([everyNode, legacy, several]));
    expect(await view(C)).toEqual(sorted([everyNode, several]));
    expect(await indexed(tag)).toEqual(["tag:env=prod", "tag:env=staging"]);
    expect(await indexed(everyNode)).toEqual(["*"]);
    expect(await indexed(legacy)).toEqual([`InstanceIds=${B}`]);
    expect(await indexed(neither)).toEqual(["tag-key=prod", "tag:prod=env"]);
    for (const id of [ids, tag, tagKey, everyNode, legacy, several, neither]) {
      await call("DeleteAssociation", { AssociationId: id });
    }
  });

  it("follows an update of the targets: the old target no longer sees it, the new one does", async () => {
    const id = await associate({ Targets: [{ Key: "tag:env", Values: ["prod"] }] });
    expect(await view(A)).toEqual([id]);
    expect(await view(B)).toEqual([]);
    await call("UpdateAssociation", { AssociationId: id, Targets: [{ Key: "InstanceIds", Values: [B] }] });
    expect(await view(A)).toEqual([]);
    expect(await view(B)).toEqual([id]);
    expect(await indexed(id)).toEqual([`InstanceIds=${B}`]);
    await call("UpdateAssociation", { AssociationId: id, Targets: [{ Key: "tag-key", Values: ["team", "env"] }] });
    expect(await view(A)).toEqual([id]);
    expect(await view(B)).toEqual([id]);
    expect(await view(C)).toEqual([]);
    // An update that keeps the targets leaves the index as it is.
    await call("UpdateAssociation", { AssociationId: id, AssociationName: "renamed" });
    expect(await indexed(id)).toEqual(["tag-key=env", "tag-key=team"]);
    await call("DeleteAssociation", { AssociationId: id });
  });

  it("follows the node's tags with no index write: the next poll uses the tags as they are", async () => {
    const id = await associate({ Targets: [{ Key: "tag:role", Values: ["web"] }] });
    const byKey = await associate({ Targets: [{ Key: "tag-key", Values: ["role"] }] });
    expect(await view(C)).toEqual([]);
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: C,
      Tags: [{ Key: "role", Value: "web" }],
    });
    expect(await view(C)).toEqual(sorted([id, byKey]));
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: C,
      Tags: [{ Key: "role", Value: "db" }],
    });
    expect(await view(C)).toEqual([byKey]);
    await call("RemoveTagsFromResource", { ResourceType: "ManagedInstance", ResourceId: C, TagKeys: ["role"] });
    expect(await view(C)).toEqual([]);
    for (const association of [id, byKey]) await call("DeleteAssociation", { AssociationId: association });
  });

  it("forgets a deleted association, and its index items go with it", async () => {
    const id = await associate({
      Targets: [
        { Key: "InstanceIds", Values: [A, B] },
        { Key: "tag:env", Values: ["dev"] },
      ],
    });
    expect(await view(B)).toEqual([id]);
    await call("DeleteAssociation", { AssociationId: id });
    expect(await view(A)).toEqual([]);
    expect(await view(B)).toEqual([]);
    expect(await indexed(id)).toEqual([]);
  });

  it("shows nothing for an index item that no longer holds (a hint is checked against the head)", async () => {
    const id = await associate({ Targets: [{ Key: "InstanceIds", Values: [B] }] });
    // A stale item under A's id, as a crash between an update's commit and its late deletes leaves.
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.associationLookup(SCOPE, `InstanceIds=${A}`, id),
          Type: "AssociationLookup",
          AssociationId: id,
          Revision: 0,
        },
      }),
    );
    expect(await view(A)).toEqual([]);
    expect(await view(B)).toEqual([id]);
    await call("DeleteAssociation", { AssociationId: id });
    // And one whose association is gone.
    expect(await view(A)).toEqual([]);
  });

  it("holds with more index items than fit one transaction: 5 targets of 50 values, created, updated, deleted", async () => {
    const values = (prefix: string, last: string) => [...Array.from({ length: 49 }, (_, i) => `${prefix}${i}`), last];
    const big = (keys: string[], lastOf: Record<string, string>) =>
      keys.map((key) => ({ Key: key, Values: values(`${key}-v`, lastOf[key] ?? "none") }));
    const first = big(["tag:env", "tag:team", "tag:k3", "tag:k4", "tag:k5"], { "tag:env": "prod" });
    const id = await associate({ Targets: first });
    expect(await indexed(id)).toHaveLength(250);
    expect(await view(A)).toEqual([id]);
    expect(await view(B)).toEqual([]);
    // Every key changes: 250 gained (put before the transaction), 250 lost (deleted after it).
    const second = big(["tag:x1", "tag:x2", "tag:x3", "tag:x4", "tag:env"], { "tag:env": "dev" });
    second[4] = { Key: "tag:env", Values: values("other-v", "dev") };
    await call("UpdateAssociation", { AssociationId: id, Targets: second });
    expect(await view(A)).toEqual([]);
    expect(await view(B)).toEqual([id]);
    const after = await indexed(id);
    expect(after).toHaveLength(250);
    expect(after).toContain("tag:env=dev");
    expect(after).not.toContain("tag:env=prod");
    await call("DeleteAssociation", { AssociationId: id });
    expect(await view(B)).toEqual([]);
    expect(await indexed(id)).toEqual([]);
  });

  it("a late delete of a lost key leaves it when a later update has gained it again", async () => {
    const store = new DynamoAssociationStore(table.db, table.name);
    const id = await associate({ Targets: [{ Key: "tag:env", Values: ["prod"] }] });
    const head = await store.get(SCOPE, id);
    if (!head) throw new Error("no head");
    const without = { ...head, Targets: [{ Key: "tag:env", Values: ["dev"] }], Revision: head.Revision + 1 };
    const withAgain = { ...head, Targets: [{ Key: "tag:env", Values: ["prod"] }], Revision: head.Revision + 2 };
    // Update 1 drops tag:env=prod and commits, but its delete is late (room 0: around the transaction) ...
    const late = indexPlan(table.db, table.name, SCOPE, { previous: head, next: without }, 0);
    await late.before();
    // ... update 2 gains it again and puts it before its own commit ...
    await indexPlan(table.db, table.name, SCOPE, { previous: without, next: withAgain }, 0).before();
    // ... and then update 1's delete arrives: the item put for update 2 stays.
    await late.after();
    expect(await indexed(id)).toContain("tag:env=prod");
    // A late put from an update that lost its race never lowers the item's revision.
    await indexPlan(
      table.db,
      table.name,
      SCOPE,
      { previous: without, next: { ...without, Targets: head.Targets } },
      0,
    ).before();
    const items = await table.items();
    const item = items.find((i) => i.PK === keys.associationLookup(SCOPE, "tag:env=prod", id).PK);
    expect(item?.Revision).toBe(head.Revision + 2);
    await call("DeleteAssociation", { AssociationId: id });
  });
});

describe("the node's view does not grow with the account (ListInstanceAssociations, DescribeEffectiveInstanceAssociations, DescribeInstanceAssociationsStatus, ListAssociations with node credentials)", () => {
  const calls: string[] = [];
  let itemsRead = 0;

  beforeAll(async () => {
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        const result = await next(args);
        const output = result.output as {
          Items?: unknown[];
          Item?: unknown;
          Responses?: Record<string, unknown[]>;
        };
        itemsRead += (output.Items?.length ?? 0) + (output.Item ? 1 : 0);
        for (const items of Object.values(output.Responses ?? {})) itemsRead += items.length;
        return result;
      },
      { step: "initialize", name: "countItemsRead" },
    );
  });

  async function cost(action: () => Promise<unknown>) {
    await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
    calls.length = 0;
    itemsRead = 0;
    await action();
    return { calls: [...calls], itemsRead };
  }

  it("a node's poll with 300 unrelated associations in the account costs what it costs with none", async () => {
    await node(D, { env: "qa", owner: "d" });
    const agent = await registeredAgent();
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: agent.instanceId,
      Tags: [{ Key: "env", Value: "qa" }],
    });
    const mine = [
      await associate({ Targets: [{ Key: "InstanceIds", Values: [D] }] }),
      await associate({ Targets: [{ Key: "tag:env", Values: ["qa"] }] }),
    ];
    const operations = {
      list: () => call("ListInstanceAssociations", { InstanceId: D }),
      effective: () => call("DescribeEffectiveInstanceAssociations", { InstanceId: D, MaxResults: 5 }),
      statuses: () => call("DescribeInstanceAssociationsStatus", { InstanceId: D }),
      nodeList: () => call("ListAssociations", {}, { identity: agent.identity }),
    };
    // A first poll releases the node's targets in the new runs (a transaction each): not a read.
    for (const run of Object.values(operations)) await run();
    const before: Record<string, { calls: string[]; itemsRead: number }> = {};
    for (const [name, run] of Object.entries(operations)) before[name] = await cost(run);
    expect(sorted(await view(D))).toEqual(sorted(mine));

    // 300 associations that apply to other nodes, under every kind of key but D's.
    for (let i = 0; i < 300; i++) {
      const kind = i % 3;
      await associate({
        Targets: [
          kind === 0
            ? { Key: "tag:env", Values: [`env-${i}`] }
            : kind === 1
              ? { Key: "tag-key", Values: [`key-${i}`] }
              : { Key: "InstanceIds", Values: [A] },
        ],
      });
    }
    for (const [name, run] of Object.entries(operations))
      expect({ name, ...(await cost(run)) }).toEqual({ name, ...before[name] });
    expect(sorted(await view(D))).toEqual(sorted(mine));
    const nodeListed = await call("ListAssociations", {}, { identity: agent.identity });
    expect(nodeListed.Associations.map((a: { AssociationId: string }) => a.AssociationId)).toEqual([mine[1]]);
  }, 120_000);
});
